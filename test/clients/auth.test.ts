import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RpcError } from '../../clients/index.js'
import { adminPassword, post, rpc } from '../helpers/accounts.js'
import { type Harness, recorder, startHarness, waitFor } from './harness.js'

describe('client SDK: login and logout', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  it('logs in, keeps the token, opens the events socket and calls with the token', async () => {
    const client = h.client()
    expect(client.token).toBeNull()
    const result = await client.login('admin', adminPassword)
    expect(result.user.userName).toBe('admin')
    expect(result.user).not.toHaveProperty('passwordHash')
    expect(Date.parse(result.expiresAt)).toBeGreaterThan(Date.now())
    expect(client.token).toBe(result.token)
    await client.whenConnected(5_000)
    expect(client.connected).toBe(true)
    // The token the client holds is the one the server accepts.
    expect((await rpc(h.server.url, 'appInit', {}, client.token!)).status).toBe(200)
  })

  it('registers an account, which then signs in; a taken name is refused with the server’s message', async () => {
    const client = h.client()
    const registration = { userName: 'ada', email: 'ada@example.org', password: 'long enough', acceptTerms: true as const }
    const account = await client.register(registration)
    expect(account).toMatchObject({ userName: 'ada', email: 'ada@example.org' })
    expect(account).not.toHaveProperty('passwordHash')
    expect(client.token).toBeNull()
    expect((await client.login('ada', 'long enough')).user.id).toBe(account.id)
    const taken = await h.client().register({ ...registration, email: 'other@example.org' }).catch((e: unknown) => e)
    expect(taken).toBeInstanceOf(RpcError)
    expect(taken).toMatchObject({ status: 409, event: 'auth/register' })
  })

  it('rejects a wrong password with an RpcError carrying the server message and status, and stays signed out', async () => {
    const client = h.client()
    const error = await client.login('admin', 'wrong password').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect(error).toMatchObject({ message: 'wrong user name or password', status: 401, event: 'auth/login', reason: 'server' })
    expect(client.token).toBeNull()
    expect(client.connected).toBe(false)
  })

  it('logs out: the token is revoked on the server, the socket closed, and later calls are unauthenticated', async () => {
    const client = await h.admin()
    const token = client.token!
    const disconnected = recorder<unknown>()
    client.on('disconnected', disconnected.cb)
    await client.logout()
    expect(client.token).toBeNull()
    expect(client.connected).toBe(false)
    expect(disconnected.calls).toHaveLength(1)
    await expect(client.check()).rejects.toMatchObject({ name: 'RpcError', status: 401 })
    expect((await rpc(h.server.url, 'appInit', {}, token)).status).toBe(401)
    await expect(client.rpc('appInit')).rejects.toMatchObject({ name: 'RpcError', status: 401 })
    // A revoked token cannot be kept alive either.
    expect((await post(h.server.url, '/auth/refresh', {}, token)).status).toBe(401)

    // Signing in again works on the same client.
    await client.login('admin', adminPassword)
    await client.whenConnected(5_000)
    expect(client.token).not.toBe(token)
  })

  it('resumes a session from a token given to createClient', async () => {
    const first = await h.admin()
    const resumed = h.client({ token: first.token })
    expect(await resumed.check()).toMatchObject({ userName: 'admin' })
    await resumed.whenConnected(5_000)
    expect(await resumed.rpc('appInit')).toMatchObject({ appUser: { userName: 'admin', isAdmin: true } })
  })

  it('emits unauthenticated and stops reconnecting when the server closes the socket with 4401', async () => {
    const client = await h.admin()
    const unauthenticated = recorder<{ code: number; reason: string }>()
    const connected = recorder<unknown>()
    client.on('unauthenticated', unauthenticated.cb)
    client.on('connected', connected.cb)
    // Revoke the token behind the client's back, as a logout in another tab would.
    expect((await post(h.server.url, '/auth/logout', {}, client.token!)).status).toBe(200)
    const error = await client.rpc('appInit').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).message).toMatch(/not logged in/)
    await waitFor('the unauthenticated event', () => unauthenticated.calls.length === 1)
    expect(unauthenticated.last?.code).toBe(4401)
    // No reconnect attempts follow (the backoff here is at most 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(connected.calls).toHaveLength(0)
    expect(unauthenticated.calls).toHaveLength(1)
    expect(client.connected).toBe(false)
  })
})
