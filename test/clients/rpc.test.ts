import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, type FetchFunction, RpcError } from '../../clients/index.js'
import { adminPassword } from '../helpers/accounts.js'
import { type Harness, NeverOpenWebSocket, recorder, startHarness } from './harness.js'

/** A fetch that counts the RPC requests it carries. */
function countingFetch(): { fetch: FetchFunction; rpcPaths: string[] } {
  const rpcPaths: string[] = []
  return {
    rpcPaths,
    fetch: (input, init) => {
      const path = new URL(input).pathname
      if (path.startsWith('/rpc/')) rpcPaths.push(path)
      return fetch(input, init)
    },
  }
}

describe('client SDK: rpc and pushes', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  it('calls over HTTP when there is no events socket', async () => {
    const counting = countingFetch()
    // A trailing slash in the URL is fine.
    const client = createClient({ url: `${h.server.url}/`, fetch: counting.fetch, WebSocket: NeverOpenWebSocket })
    await client.login('admin', adminPassword)
    expect(client.connected).toBe(false)
    const bundle = await client.rpc('appInit')
    expect(bundle).toMatchObject({ appUser: { userName: 'admin', isAdmin: true } })
    expect(counting.rpcPaths).toEqual(['/rpc/appInit'])
    // Subscriptions need the socket: over HTTP the server says so.
    const error = await client.rpc('subscribeAppData', { table: 'document' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect(error).toMatchObject({ status: 400, reason: 'server', event: 'subscribeAppData' })
    expect((error as RpcError).message).toMatch(/needs the events websocket/)
    client.close()
  })

  it('calls over the events socket when it is open', async () => {
    const counting = countingFetch()
    const client = await h.admin({ fetch: counting.fetch })
    const subscriptionId = await client.rpc('subscribeAppData', { table: 'document' })
    expect(subscriptionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(await client.rpc('unsubscribeAppData', subscriptionId as string)).toBe(subscriptionId)
    expect(counting.rpcPaths).toEqual([])
  })

  it('rejects a failing call with an RpcError carrying the server message, over HTTP and over the socket', async () => {
    const http = h.client({ WebSocket: NeverOpenWebSocket })
    await http.login('admin', adminPassword)
    const overHttp = await http.rpc('noSuchEvent', { x: 1 }).catch((e: unknown) => e)
    expect(overHttp).toBeInstanceOf(RpcError)
    expect(overHttp).toMatchObject({ message: 'unknown event "noSuchEvent"', status: 404, event: 'noSuchEvent', reason: 'server' })

    const socket = await h.admin()
    const overSocket = await socket.rpc('noSuchEvent', { x: 1 }).catch((e: unknown) => e)
    expect(overSocket).toBeInstanceOf(RpcError)
    expect(overSocket).toMatchObject({ message: 'unknown event "noSuchEvent"', status: undefined, reason: 'server' })

    // Invalid input names the field, and the socket stays usable afterwards.
    // Cast: the typed SDK would refuse this at compile time; the server must refuse it too.
    await expect(socket.rpc('subscribeAppData', { table: 'nope' } as never)).rejects.toThrow(/table/)
    expect(socket.connected).toBe(true)
    await expect(socket.rpc('appInit')).resolves.toBeTruthy()
  })

  it('delivers server pushes to on() listeners until they unsubscribe', async () => {
    const client = await h.admin()
    const appUser = recorder<unknown>()
    const off = client.on('appUser', appUser.cb)
    await client.rpc('appInit')
    expect(appUser.calls).toHaveLength(1)
    expect(appUser.last).toMatchObject({ userName: 'admin', isAdmin: true })
    expect(JSON.stringify(appUser.last)).not.toMatch(/passwordHash/)
    off()
    await client.rpc('appInit')
    expect(appUser.calls).toHaveLength(1)
  })

  it('rejects calls after close()', async () => {
    const client = await h.admin()
    client.close()
    await expect(client.rpc('appInit')).rejects.toMatchObject({ name: 'RpcError', reason: 'closed' })
    expect(client.connected).toBe(false)
  })
})
