import { describe, expect, it } from 'vitest'
import { adminPassword, post, registerAndLogin } from '../helpers/accounts.js'
import { withServer } from '../helpers/server.js'

/** Tries to log in as `userName` and answers the status. */
const attempt = async (url: string, userName: string, password = 'wrong password') => (await post(url, '/auth/login', { userName, password })).status

describe('login and registration limits', () => {
  it('a successful login clears the failure count of the account', async () => {
    await withServer({ FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' }, async ({ url }) => {
      for (let round = 0; round < 3; round++) {
        expect([await attempt(url, 'admin'), await attempt(url, 'admin')]).toEqual([401, 401])
        expect(await attempt(url, 'admin', adminPassword)).toBe(200)
      }
    })
  })

  it('a lock ends with its window', async () => {
    await withServer({ FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT: '2', FOLIO_LOGIN_WINDOW_SECONDS: '1' }, async ({ url }) => {
      expect([await attempt(url, 'admin'), await attempt(url, 'admin')]).toEqual([401, 401])
      const locked = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userName: 'admin', password: adminPassword }),
      })
      expect(locked.status).toBe(429)
      expect(locked.headers.get('retry-after')).toBe('1')
      await new Promise((resolve) => setTimeout(resolve, 1_100))
      expect(await attempt(url, 'admin', adminPassword)).toBe(200)
    })
  })

  it('spellings that differ only in case share one budget, for accounts and for names of no account', async () => {
    await withServer({ FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' }, async ({ url }) => {
      for (const spelling of ['ADMIN', 'Admin', 'ADMIN@LOCALHOST']) expect(await attempt(url, spelling)).toBe(401)
      expect(await attempt(url, 'admin', adminPassword)).toBe(429)

      for (const spelling of ['Nobody', 'NOBODY', 'nobody']) expect(await attempt(url, spelling)).toBe(401)
      expect(await attempt(url, 'noBody')).toBe(429)
      // Another unknown name has a budget of its own, as another account would.
      expect(await attempt(url, 'somebody')).toBe(401)
    })
  })

  it('the user name and the e-mail of one account share one budget', async () => {
    await withServer({ FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' }, async ({ url }) => {
      await registerAndLogin(url, 'dora')
      await registerAndLogin(url, 'erin')
      expect([await attempt(url, 'dora'), await attempt(url, 'dora@example.test'), await attempt(url, 'dora')]).toEqual([401, 401, 401])
      expect(await attempt(url, 'dora', 'dora-password')).toBe(429)
      expect(await attempt(url, 'dora@example.test', 'dora-password')).toBe(429)
      expect(await attempt(url, 'erin@example.test', 'erin-password')).toBe(200)
    })
  })

  it('limits registrations per client address, counting every one that costs a password hash', async () => {
    await withServer({ FOLIO_REGISTER_MAX_PER_ADDRESS: '2' }, async ({ url }) => {
      const register = (userName: string, password = 'long enough') =>
        fetch(`${url}/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userName, email: `${userName}@example.test`, password, acceptTerms: true }),
        })
      // An invalid body is refused before any hashing, so it does not count.
      expect((await register('finn', 'short')).status).toBe(400)
      expect((await register('finn')).status).toBe(201)
      // A taken name is refused only after the hash, so it counts.
      expect((await register('finn')).status).toBe(409)
      const refused = await register('gwen')
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(await refused.json()).toEqual({ success: false, message: 'too many registrations from this address; try again later' })
    })
  })
})
