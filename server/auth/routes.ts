import { getConnInfo } from '@hono/node-server/conninfo'
import { eq } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { loginInput, registerInput } from '../../schema/index.js'
import { type FolioDatabase, user } from '../../schema/db/index.js'
import type { Logger } from '../../sync/index.js'
import type { AuthConfig } from '../config.js'
import { ForbiddenError, NotAuthenticatedError } from '../errors.js'
import { parseBody } from '../http/body.js'
import { createAccount, findUserByLogin, withoutSecrets } from './accounts.js'
import { loginBudget } from './loginBudget.js'
import type { LoginLimiter } from './LoginLimiter.js'
import { verifyPassword } from './passwords.js'
import { RegistrationLimiter } from './RegistrationLimiter.js'
import type { SessionStore } from './sessions.js'
import { signedInUser } from './signedInUser.js'
import { tokenCookie, tokenFromContext } from './tokens.js'

export interface AuthDeps {
  db: FolioDatabase
  sessions: SessionStore
  limiter: LoginLimiter
  config: AuthConfig
  log: Logger
  /** Whether `/auth/register` is open (the `app.register.enabled` setting), asked at every call. */
  registrationEnabled: () => Promise<boolean>
}

/** `/auth/login`, `/auth/logout`, `/auth/check`, `/auth/register`; what they throw is answered by `app.onError`. */
export function authRoutes({ db, sessions, limiter, config, log, registrationEnabled }: AuthDeps): Hono {
  const app = new Hono()
  const registrations = new RegistrationLimiter(config.maxRegistrationsPerAddress, config.registrationWindowMs)
  app.post('/login', async (c) => {
    const { userName, password } = await parseBody(c, loginInput)
    const address = clientAddress(c)
    const budget = loginBudget(db, userName)
    limiter.check(budget, address)
    const account = findUserByLogin(db, userName)
    if (!(await verifyPassword(password, account?.passwordHash ?? null)) || !account) {
      limiter.fail(budget, address)
      log.info('auth.login_failed', { userName, address })
      throw new NotAuthenticatedError('wrong user name or password')
    }
    limiter.succeed(budget)
    const now = new Date()
    db.update(user).set({ lastLoginAt: now }).where(eq(user.id, account.id)).run()
    const { token, expiresAt } = sessions.issue(account.id, now)
    setCookie(c, tokenCookie, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: config.secureCookie, expires: expiresAt })
    log.info('auth.login', { userId: account.id })
    return c.json({ success: true, data: { token, expiresAt: expiresAt.toISOString(), user: withoutSecrets({ ...account, lastLoginAt: now }) } })
  })

  app.post('/logout', (c) => {
    const token = tokenFromContext(c)
    if (token) sessions.revoke(token)
    deleteCookie(c, tokenCookie, { path: '/' })
    return c.json({ success: true, data: null })
  })

  app.get('/check', (c) => {
    const session = signedInUser(c, sessions)
    const account = db.select().from(user).where(eq(user.id, session.id)).get()!
    return c.json({ success: true, data: { user: withoutSecrets(account) } })
  })

  app.post('/register', async (c) => {
    if (!(await registrationEnabled())) throw new ForbiddenError('registration is disabled on this server')
    const input = await parseBody(c, registerInput)
    registrations.take(clientAddress(c))
    const created = await createAccount(db, input, ['user'])
    log.info('auth.registered', { userId: created.id })
    return c.json({ success: true, data: { user: withoutSecrets(created) } }, 201)
  })
  return app
}

function clientAddress(c: Context): string {
  return getConnInfo(c).remote.address ?? 'unknown'
}
