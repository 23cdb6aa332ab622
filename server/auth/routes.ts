import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { loginInput, registerInput } from '../../schema/index.js'
import { type FolioDatabase, user } from '../../schema/db/index.js'
import type { Logger } from '../../sync/index.js'
import type { AuthConfig } from '../config.js'
import { ForbiddenError, NotAuthenticatedError } from '../errors.js'
import { parseBody } from '../http/body.js'
import type { AccountMails } from './AccountMails.js'
import { accountRoutes } from './accountRoutes.js'
import { createAccount, findUserByLogin, withoutSecrets } from './accounts.js'
import { AddressLimiter } from './AddressLimiter.js'
import { clientAddress } from './clientAddress.js'
import { loginBudget } from './loginBudget.js'
import type { LoginLimiter } from './LoginLimiter.js'
import { verifyPassword } from './passwords.js'
import type { SessionStore } from './sessions.js'
import { settingIsOn } from './settingValues.js'
import { signedInUser } from './signedInUser.js'
import { tokenCookie, tokenFromContext } from './tokens.js'

export interface AuthDeps {
  db: FolioDatabase
  sessions: SessionStore
  limiter: LoginLimiter
  mails: AccountMails
  config: AuthConfig
  log: Logger
  /** Whether `/auth/register` is open (the `app.register.enabled` setting), asked at every call. */
  registrationEnabled: () => Promise<boolean>
}

const verificationSetting = 'app.register.emailVerification'

/**
 * `/auth/login`, `/auth/refresh`, `/auth/logout`, `/auth/check`, `/auth/register`, and the account mail routes
 * (`accountRoutes.ts`); what they throw is answered by `app.onError`.
 */
export function authRoutes({ db, sessions, limiter, mails, config, log, registrationEnabled }: AuthDeps): Hono {
  const app = new Hono()
  const registrations = new AddressLimiter(config.maxRegistrationsPerAddress, config.registrationWindowMs, 'too many registrations from this address; try again later')
  app.post('/login', async (c) => {
    const { userName, password } = await parseBody(c, loginInput)
    const address = clientAddress(c)
    const budget = await loginBudget(db, userName)
    limiter.check(budget, address)
    const account = await findUserByLogin(db, userName)
    if (!(await verifyPassword(password, account?.passwordHash ?? null)) || !account) {
      limiter.fail(budget, address)
      log.info('auth.login_failed', { userName, address })
      throw new NotAuthenticatedError('wrong user name or password')
    }
    limiter.succeed(budget)
    // Told only to whoever knows the password, so it reveals nothing about which addresses are registered.
    if (!account.emailVerified && (await settingIsOn(db, verificationSetting))) {
      throw new ForbiddenError('this e-mail address is not verified yet: open the link of the verification mail, or ask for a new one at /auth/resend-verification')
    }
    const now = new Date()
    const { token, expiresAt } = await sessions.issue(account.id, now)
    setCookie(c, tokenCookie, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: config.secureCookie, expires: expiresAt })
    log.info('auth.login', { userId: account.id })
    return c.json({ success: true, data: { token, expiresAt: expiresAt.toISOString(), user: withoutSecrets({ ...account, lastLoginAt: now }) } })
  })

  // A signed-in client keeps its session alive by calling this before the token expires.
  app.post('/refresh', async (c) => {
    const token = tokenFromContext(c)
    const expiresAt = token ? await sessions.extend(token) : null
    if (!token || !expiresAt) throw new NotAuthenticatedError('not logged in: the token expired or was revoked; log in again')
    setCookie(c, tokenCookie, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: config.secureCookie, expires: expiresAt })
    return c.json({ success: true, data: { expiresAt: expiresAt.toISOString() } })
  })

  app.post('/logout', async (c) => {
    const token = tokenFromContext(c)
    if (token) await sessions.revoke(token)
    deleteCookie(c, tokenCookie, { path: '/' })
    return c.json({ success: true, data: null })
  })

  app.get('/check', async (c) => {
    const session = await signedInUser(c, sessions)
    const [account] = await db.select().from(user).where(eq(user.id, session.id)).limit(1)
    return c.json({ success: true, data: { user: withoutSecrets(account!) } })
  })

  app.post('/register', async (c) => {
    if (!(await registrationEnabled())) throw new ForbiddenError('registration is disabled on this server')
    const input = await parseBody(c, registerInput)
    registrations.take(clientAddress(c))
    const created = await createAccount(db, input, ['user'])
    log.info('auth.registered', { userId: created.id })
    if (await settingIsOn(db, verificationSetting)) mails.sendVerification(created)
    return c.json({ success: true, data: { user: withoutSecrets(created) } }, 201)
  })

  app.route('/', accountRoutes({ db, sessions, mails, log, maxMailRequestsPerAddress: config.maxAccountMailsPerAddress, mailRequestWindowMs: config.accountMailWindowMs }))
  return app
}
