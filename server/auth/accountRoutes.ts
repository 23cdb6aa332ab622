import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { accountMailInput, accountTokenInput, resetPasswordInput } from '../../schema/index.js'
import { type FolioDatabase, user } from '../../schema/db/index.js'
import { type Logger, SerialTransactions } from '../../sync/index.js'
import { ForbiddenError, InvalidInputError } from '../errors.js'
import { parseBody } from '../http/body.js'
import { dataRoute } from '../http/dataRoute.js'
import { parseQuery } from '../http/parseQuery.js'
import type { AccountMails } from './AccountMails.js'
import { type AccountTokenPurpose, accountTokens } from './accountTokens.js'
import { AddressLimiter } from './AddressLimiter.js'
import { clientAddress } from './clientAddress.js'
import { hashPassword } from './passwords.js'
import type { SessionStore } from './sessions.js'
import { settingIsOn } from './settingValues.js'

export interface AccountRouteDeps {
  db: FolioDatabase
  sessions: SessionStore
  mails: AccountMails
  log: Logger
  /** Account mail requests per client address per window, however many accounts they name. */
  maxMailRequestsPerAddress: number
  mailRequestWindowMs: number
}

const forgotPassword = { key: 'app.login.forgotPassword', refusal: 'password reset by mail is disabled on this server' }
const emailVerification = { key: 'app.register.emailVerification', refusal: 'e-mail verification is disabled on this server' }
const invalidLink: Record<AccountTokenPurpose, string> = {
  passwordReset: 'this reset link is unknown, used or expired: ask for a new one',
  emailVerification: 'this verification link is unknown, used or expired: ask for a new one',
}

/**
 * Accounts by mail: password reset (`request-password-reset`, `check-reset-token`,
 * `reset-password`, gated by `app.login.forgotPassword`) and e-mail verification
 * (`verify-email`, `resend-verification`, gated by `app.register.emailVerification`). A request
 * naming an address is answered alike whether or not an account has it.
 */
export function accountRoutes({ db, sessions, mails, log, maxMailRequestsPerAddress, mailRequestWindowMs }: AccountRouteDeps): Hono {
  const app = new Hono()
  const mailRequests = new AddressLimiter(maxMailRequestsPerAddress, mailRequestWindowMs, 'too many account mail requests from this address; try again later')
  const requireSetting = async ({ key, refusal }: { key: string; refusal: string }) => {
    if (!(await settingIsOn(db, key))) throw new ForbiddenError(refusal)
  }

  app.post(
    '/request-password-reset',
    dataRoute(async (c) => {
      await requireSetting(forgotPassword)
      const { email } = await parseBody(c, accountMailInput)
      mailRequests.take(clientAddress(c))
      mails.requestPasswordReset(email)
      return null
    }),
  )

  app.get(
    '/check-reset-token',
    dataRoute(async (c) => {
      await requireSetting(forgotPassword)
      const { token } = parseQuery(accountTokenInput, c.req.query(), 'query')
      if ((await accountTokens.holder(db, token, 'passwordReset', new Date())) === null) throw new InvalidInputError(invalidLink.passwordReset)
      return { valid: true }
    }),
  )

  app.post(
    '/reset-password',
    dataRoute(async (c) => {
      await requireSetting(forgotPassword)
      const { token, password } = await parseBody(c, resetPasswordInput)
      // Checked before hashing, so a made-up token costs no scrypt; used up below, with the new password, in one write turn.
      if ((await accountTokens.holder(db, token, 'passwordReset', new Date())) === null) throw new InvalidInputError(invalidLink.passwordReset)
      const passwordHash = await hashPassword(password)
      const now = new Date()
      const userId = await SerialTransactions.of(db).transaction(async () => {
        const holder = await accountTokens.use(db, token, 'passwordReset', now)
        if (holder === null) throw new InvalidInputError(invalidLink.passwordReset)
        // The mail reached its address, which proves the address as a verification mail would.
        await db.update(user).set({ passwordHash, emailVerified: true }).where(eq(user.id, holder))
        // Whoever knew the old password is signed out with it.
        await sessions.revokeAllWithin(holder, now)
        return holder
      })
      sessions.ended(userId)
      log.info('auth.password_reset', { userId })
      return null
    }),
  )

  app.get(
    '/verify-email',
    dataRoute(async (c) => {
      await requireSetting(emailVerification)
      const { token } = parseQuery(accountTokenInput, c.req.query(), 'query')
      const userId = await SerialTransactions.of(db).transaction(async () => {
        const holder = await accountTokens.use(db, token, 'emailVerification', new Date())
        if (holder === null) throw new InvalidInputError(invalidLink.emailVerification)
        await db.update(user).set({ emailVerified: true }).where(eq(user.id, holder))
        return holder
      })
      log.info('auth.email_verified', { userId })
      return { verified: true }
    }),
  )

  app.post(
    '/resend-verification',
    dataRoute(async (c) => {
      await requireSetting(emailVerification)
      const { email } = await parseBody(c, accountMailInput)
      mailRequests.take(clientAddress(c))
      mails.requestVerification(email)
      return null
    }),
  )
  return app
}
