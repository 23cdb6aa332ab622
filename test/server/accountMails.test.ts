import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, post, registerAndLogin, rpc } from '../helpers/accounts.js'
import { EventsConnection } from '../helpers/events.js'
import { linkToken, Mailbox } from '../helpers/mailbox.js'
import { queryDb } from '../helpers/rooms.js'
import { startTestServer, tempDir } from '../helpers/server.js'

const get = async (url: string) => {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as { success: boolean; data?: unknown; message?: string } }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('accounts by mail', () => {
  let mailbox: Mailbox
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let admin: string

  beforeAll(async () => {
    mailbox = await Mailbox.start()
  })
  afterAll(() => mailbox.close())
  beforeEach(async () => {
    mailbox.mails.length = 0
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    admin = await login(server.url, 'admin', adminPassword)
    await save([...mailbox.settings(), { key: 'app.login.forgotPassword', value: 'true' }, { key: 'app.register.emailVerification', value: 'false' }])
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  async function save(entries: { key: string; value: string }[]): Promise<void> {
    const { body } = await rpc(server.url, 'settingSave', entries, admin)
    expect(body.success).toBe(true)
  }
  const requestReset = (email: string) => post(server.url, '/auth/request-password-reset', { email })
  const checkToken = (token: string) => get(`${server.url}/auth/check-reset-token?token=${token}`)
  const resetPassword = (token: string, password: string) => post(server.url, '/auth/reset-password', { token, password })
  const canLogin = async (userName: string, password: string) => (await post(server.url, '/auth/login', { userName, password })).status === 200

  it('resets a password through the mailed link, once, and signs out the sessions of the old one', async () => {
    const ann = await registerAndLogin(server.url, 'ann')
    expect(await requestReset('ANN@example.test')).toEqual({ status: 200, body: { success: true, data: null } })
    const mail = await mailbox.nth('ann@example.test', 1)
    expect(mail.from).toBe('folio@example.test')
    expect(mail.subject).toBe('Reset your Folio password')
    expect(mail.text).toContain(`${server.url}/reset-password?token=`)
    const token = linkToken(mail)

    expect(await checkToken(token)).toEqual({ status: 200, body: { success: true, data: { valid: true } } })
    expect(await resetPassword(token, 'a brand new password')).toEqual({ status: 200, body: { success: true, data: null } })
    expect(await canLogin('ann', 'a brand new password')).toBe(true)
    expect(await canLogin('ann', 'ann-password')).toBe(false)
    // The session opened with the old password is over.
    expect((await fetch(`${server.url}/auth/check`, { headers: { authorization: `Bearer ${ann.token}` } })).status).toBe(401)

    // Used once, the link works no more.
    const refused = { status: 400, body: { success: false, message: 'this reset link is unknown, used or expired: ask for a new one' } }
    expect(await checkToken(token)).toEqual(refused)
    expect(await resetPassword(token, 'yet another password')).toEqual(refused)
    expect(await canLogin('ann', 'a brand new password')).toBe(true)
  })

  it('refuses an expired reset link', async () => {
    await registerAndLogin(server.url, 'ann')
    // 0.02 minutes: the link lasts 1.2 seconds.
    await save([{ key: 'system.auth.tokenExpiry.passwordReset', value: '0.02' }])
    await requestReset('ann@example.test')
    const token = linkToken(await mailbox.nth('ann@example.test', 1))
    await sleep(1500)
    const refused = { status: 400, body: { success: false, message: 'this reset link is unknown, used or expired: ask for a new one' } }
    expect(await checkToken(token)).toEqual(refused)
    expect(await resetPassword(token, 'a brand new password')).toEqual(refused)
    expect(await canLogin('ann', 'ann-password')).toBe(true)
  })

  it('answers an unknown address exactly as a known one and mails nobody for it', async () => {
    await registerAndLogin(server.url, 'ann')
    const unknown = await requestReset('nobody@example.test')
    const known = await requestReset('ann@example.test')
    expect(unknown).toEqual(known)
    await mailbox.nth('ann@example.test', 1)
    await sleep(300)
    expect(mailbox.mails.map((mail) => mail.to)).toEqual([['ann@example.test']])
  })

  it('mails an account at most once per rate-limit interval, and only the newest link works', async () => {
    await registerAndLogin(server.url, 'ann')
    await requestReset('ann@example.test')
    const first = linkToken(await mailbox.nth('ann@example.test', 1))
    await requestReset('ann@example.test')
    await sleep(500)
    expect(mailbox.to('ann@example.test')).toHaveLength(1)

    await save([{ key: 'app.login.passwordResetRateLimit', value: '0' }])
    await requestReset('ann@example.test')
    const second = linkToken(await mailbox.nth('ann@example.test', 2))
    expect(second).not.toBe(first)
    expect((await checkToken(first)).status).toBe(400)
    expect((await checkToken(second)).status).toBe(200)
  })

  it('stores tokens only as digests and never sends one, or its digest, in a user row', async () => {
    const ann = await registerAndLogin(server.url, 'ann')
    const teacher = await registerAndLogin(server.url, 'tess')
    await rpc(server.url, 'userUpdateDetails', { userId: teacher.userId, userData: { roles: ['user', 'teacher'] } }, admin)
    const watchers = [await EventsConnection.open(server, teacher.token), await EventsConnection.open(server, admin)]
    for (const watcher of watchers) await watcher.ok('subscribeAppData', { table: 'user' })

    await requestReset('ann@example.test')
    const token = linkToken(await mailbox.nth('ann@example.test', 1))
    const digest = createHash('sha256').update(token).digest('hex')
    expect(queryDb(tmp.dbPath, 'select token_digest, purpose from account_token')).toEqual([{ token_digest: digest, purpose: 'passwordReset' }])
    // A change of Ann's row reaches both subscribers, without any token.
    await rpc(server.url, 'userUpdateDetails', { userId: ann.userId, userData: { firstName: 'Ann' } }, admin)
    for (const watcher of watchers) {
      const row = await watcher.waitForRow('user', "Ann's new name", (row) => row.firstName === 'Ann')
      expect(Object.keys(row).filter((key) => /token|password|hash|secret/i.test(key))).toEqual([])
      const frames = watcher.texts.join('\n')
      expect(frames).not.toContain(token)
      expect(frames).not.toContain(digest)
      watcher.ws.close()
    }
  })

  it('verifies new accounts by mail before they can sign in, when the setting asks for it', async () => {
    await save([{ key: 'app.register.emailVerification', value: 'true' }])
    const registered = await post(server.url, '/auth/register', { userName: 'bob', email: 'bob@example.test', password: 'bob-password', acceptTerms: true })
    expect(registered.status).toBe(201)
    const mail = await mailbox.nth('bob@example.test', 1)
    expect(mail.subject).toBe('Confirm your e-mail address for Folio')
    const token = linkToken(mail)

    expect(await post(server.url, '/auth/login', { userName: 'bob', password: 'bob-password' })).toEqual({
      status: 403,
      body: { success: false, message: 'this e-mail address is not verified yet: open the link of the verification mail, or ask for a new one at /auth/resend-verification' },
    })
    expect(await get(`${server.url}/auth/verify-email?token=${token}`)).toEqual({ status: 200, body: { success: true, data: { verified: true } } })
    expect(await canLogin('bob', 'bob-password')).toBe(true)
    expect(await get(`${server.url}/auth/verify-email?token=${token}`)).toEqual({
      status: 400,
      body: { success: false, message: 'this verification link is unknown, used or expired: ask for a new one' },
    })
    // A verified account gets no new link; the admin, verified from the start, neither.
    await save([{ key: 'app.register.emailVerificationRateLimit', value: '0' }])
    expect(await post(server.url, '/auth/resend-verification', { email: 'bob@example.test' })).toEqual({ status: 200, body: { success: true, data: null } })
    await sleep(300)
    expect(mailbox.to('bob@example.test')).toHaveLength(1)
    expect(await canLogin('admin', adminPassword)).toBe(true)
  })

  it('sends a new verification link on request, and the old one stops working', async () => {
    await save([{ key: 'app.register.emailVerification', value: 'true' }, { key: 'app.register.emailVerificationRateLimit', value: '0' }])
    await post(server.url, '/auth/register', { userName: 'bob', email: 'bob@example.test', password: 'bob-password', acceptTerms: true })
    const first = linkToken(await mailbox.nth('bob@example.test', 1))
    expect((await post(server.url, '/auth/resend-verification', { email: 'bob@example.test' })).status).toBe(200)
    const second = linkToken(await mailbox.nth('bob@example.test', 2))
    expect((await get(`${server.url}/auth/verify-email?token=${first}`)).status).toBe(400)
    expect((await get(`${server.url}/auth/verify-email?token=${second}`)).status).toBe(200)
  })

  it('refuses every route while its setting is off', async () => {
    await save([{ key: 'app.login.forgotPassword', value: 'false' }])
    const resetOff = { status: 403, body: { success: false, message: 'password reset by mail is disabled on this server' } }
    expect(await requestReset('admin@localhost')).toEqual(resetOff)
    expect(await checkToken('x')).toEqual(resetOff)
    expect(await resetPassword('x', 'long enough password')).toEqual(resetOff)
    const verificationOff = { status: 403, body: { success: false, message: 'e-mail verification is disabled on this server' } }
    expect(await get(`${server.url}/auth/verify-email?token=x`)).toEqual(verificationOff)
    expect(await post(server.url, '/auth/resend-verification', { email: 'admin@localhost' })).toEqual(verificationOff)
    await sleep(200)
    expect(mailbox.mails).toEqual([])
  })
})

describe('GET /config.js', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  it('serves the public settings as window.config, and nothing else', async () => {
    const admin = await login(server.url, 'admin', adminPassword)
    await rpc(server.url, 'settingSave', [
      { key: 'app.landing.linkDocs', value: 'https://docs.example.test' },
      { key: 'app.config.copyright', value: '</script><b>' },
      { key: 'system.mailService.smtp.auth.pass', value: 'hunter2-smtp' },
      { key: 'app.secret.note', value: 'not for the public' },
    ], admin)
    const response = await fetch(`${server.url}/config.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const script = await response.text()
    expect(script).not.toContain('</script>')
    const match = /^window\.config = (.*);\n$/s.exec(script)
    const config = JSON.parse(match![1]!) as Record<string, unknown>
    expect(config).toMatchObject({ 'app.landing.linkDocs': 'https://docs.example.test', 'app.config.copyright': '</script><b>', 'app.login.forgotPassword': false, 'app.register.emailVerification': false })
    expect(Object.keys(config).every((key) => /^app\.(config\.copyright|register\.|login\.(guest|forgotPassword)$|landing\.)/.test(key))).toBe(true)
    expect(config).not.toHaveProperty(['app.secret.note'])
    expect(config).not.toHaveProperty(['app.login.passwordResetRateLimit'])
    expect(script).not.toContain('hunter2-smtp')
  })
})
