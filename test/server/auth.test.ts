import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, post, registerAndLogin } from '../helpers/accounts.js'
import { spawnServer, startTestServer, tempDir } from '../helpers/server.js'

describe('accounts and sessions', () => {
  let server: FolioServer | undefined
  let tmp: ReturnType<typeof tempDir>

  async function start(env: Record<string, string> = {}) {
    server = await startTestServer(tmp.dbPath, env)
  }
  const check = (headers: Record<string, string>) => fetch(`${server!.url}/auth/check`, { headers })

  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(async () => {
    await server?.close()
    server = undefined
    tmp.remove()
  })

  it('logs in by user name or email, sets an httpOnly cookie and never returns secrets', async () => {
    await start()
    await registerAndLogin(server!.url, 'dora')
    const byName = await fetch(`${server!.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'dora', password: 'dora-password' }),
    })
    expect(byName.status).toBe(200)
    const cookie = byName.headers.get('set-cookie')!
    expect(cookie).toMatch(/^folio_token=[\w-]{43};/)
    expect(cookie).toMatch(/HttpOnly/)
    const text = await byName.text()
    expect(text).not.toMatch(/passwordHash|scrypt/)
    const { data } = JSON.parse(text) as { data: { token: string; user: { userName: string } } }
    expect(data.user.userName).toBe('dora')

    expect((await post(server!.url, '/auth/login', { userName: 'dora@example.test', password: 'dora-password' })).status).toBe(200)
    expect((await check({ authorization: `Bearer ${data.token}` })).status).toBe(200)
    expect((await check({ cookie: cookie.split(';')[0]! })).status).toBe(200)
    const checked = await (await check({ authorization: `Bearer ${data.token}` })).text()
    expect(checked).toContain('"userName":"dora"')
    expect(checked).not.toMatch(/passwordHash/)
  })

  it('answers a wrong password or unknown account with 401 and the same message', async () => {
    await start()
    const wrong = await post(server!.url, '/auth/login', { userName: 'admin', password: 'nope' })
    const unknown = await post(server!.url, '/auth/login', { userName: 'nobody', password: 'nope' })
    expect(wrong).toEqual({ status: 401, body: { success: false, message: 'wrong user name or password' } })
    expect(unknown).toEqual(wrong)
  })

  it('names the wrong field of an invalid login body', async () => {
    await start()
    const { status, body } = await post(server!.url, '/auth/login', { userName: 'admin' })
    expect(status).toBe(400)
    expect(body).toEqual({ success: false, message: expect.stringMatching(/^invalid input: password: /) })
  })

  it('locks an account after repeated failures, even for the right password', async () => {
    await start({ FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' })
    for (let i = 0; i < 3; i++) expect((await post(server!.url, '/auth/login', { userName: 'admin', password: 'bad' })).status).toBe(401)
    const locked = await fetch(`${server!.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'admin', password: adminPassword }),
    })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    // Other accounts are not locked by it.
    await registerAndLogin(server!.url, 'erin')
  })

  it('limits failures per address across accounts', async () => {
    await start({ FOLIO_LOGIN_MAX_FAILURES_PER_ADDRESS: '4' })
    for (let i = 0; i < 4; i++) await post(server!.url, '/auth/login', { userName: `user${i}`, password: 'bad' })
    expect((await post(server!.url, '/auth/login', { userName: 'admin', password: adminPassword })).status).toBe(429)
  })

  it('expires tokens', async () => {
    await start({ FOLIO_TOKEN_TTL_SECONDS: '1' })
    const token = await login(server!.url, 'admin', adminPassword)
    expect((await check({ authorization: `Bearer ${token}` })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    expect((await check({ authorization: `Bearer ${token}` })).status).toBe(401)
  })

  it('revokes the token on logout and clears the cookie', async () => {
    await start()
    const token = await login(server!.url, 'admin', adminPassword)
    const out = await fetch(`${server!.url}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(out.headers.get('set-cookie')).toMatch(/folio_token=;/)
    expect((await check({ authorization: `Bearer ${token}` })).status).toBe(401)
  })

  it('stores only scrypt hashes and token digests', async () => {
    await start()
    const token = await login(server!.url, 'admin', adminPassword)
    const db = new Database(tmp.dbPath, { readonly: true })
    const { password_hash } = db.prepare("select password_hash from user where user_name = 'admin'").get() as { password_hash: string }
    const sessions = db.prepare('select token_digest from auth_session').all() as { token_digest: string }[]
    db.close()
    expect(password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(sessions.map((s) => s.token_digest)).not.toContain(token)
    expect(sessions[0]!.token_digest).toMatch(/^[0-9a-f]{64}$/)
  })

  it('registers accounts with validation', async () => {
    await start()
    const short = await post(server!.url, '/auth/register', { userName: 'finn', email: 'finn@example.test', password: 'short', acceptTerms: true })
    expect(short.status).toBe(400)
    expect(short.body).toMatchObject({ success: false, message: expect.stringMatching(/password: at least 8 characters/) })
    const noTerms = await post(server!.url, '/auth/register', { userName: 'finn', email: 'finn@example.test', password: 'long enough', acceptTerms: false })
    expect(noTerms.body).toMatchObject({ success: false, message: expect.stringMatching(/acceptTerms/) })
    await registerAndLogin(server!.url, 'finn')
    const again = await post(server!.url, '/auth/register', { userName: 'finn', email: 'other@example.test', password: 'long enough', acceptTerms: true })
    expect(again).toEqual({ status: 409, body: { success: false, message: 'user name is taken' } })
  })

  it('never answers a registration with the password or its hash', async () => {
    await start()
    const password = 'a long secret passphrase'
    const response = await fetch(`${server!.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'gwen', email: 'gwen@example.test', password, acceptTerms: true }),
    })
    expect(response.status).toBe(201)
    const text = await response.text()
    expect(JSON.parse(text)).toMatchObject({ success: true, data: { user: { userName: 'gwen' } } })
    expect(text).not.toContain(password)
    expect(text).not.toMatch(/passwordHash|password_hash|scrypt/)
  })

  it('creates the admin account on first start with a generated password printed once', async () => {
    const first = await spawnServer(tmp.dbPath, { FOLIO_ADMIN_PASSWORD: '' })
    const password = /password: (\S+)/.exec(first.output)?.[1]
    expect(password).toBeDefined()
    expect((await post(first.url, '/auth/login', { userName: 'admin', password })).status).toBe(200)
    first.child.kill('SIGTERM')
    await first.exited

    const second = await spawnServer(tmp.dbPath, { FOLIO_ADMIN_PASSWORD: '' })
    expect(second.output).not.toMatch(/password/)
    second.child.kill('SIGTERM')
    await second.exited
  })
})
