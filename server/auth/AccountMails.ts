import { and, eq } from 'drizzle-orm'
import { type FolioDatabase, user } from '../../schema/db/index.js'
import { SerialTransactions, type Logger } from '../../sync/index.js'
import type { Mailer } from '../mail/index.js'
import { getSetting } from '../settings/getSetting.js'
import { type AccountTokenPurpose, accountTokens } from './accountTokens.js'
import { settingMinutesMs } from './settingValues.js'

/** The settings of each kind of account mail: how long its link lasts, and how long an account waits between two. */
const mailSettings: Record<AccountTokenPurpose, { lifetime: string; lifetimeMinutes: number; interval: string; intervalMinutes: number }> = {
  passwordReset: { lifetime: 'system.auth.tokenExpiry.passwordReset', lifetimeMinutes: 60, interval: 'app.login.passwordResetRateLimit', intervalMinutes: 5 },
  emailVerification: { lifetime: 'system.auth.tokenExpiry.emailVerification', lifetimeMinutes: 1440, interval: 'app.register.emailVerificationRateLimit', intervalMinutes: 5 },
}

interface Recipient {
  id: number
  userName: string
  email: string
}

/**
 * Sends password reset and e-mail verification mails, each with a one-time link. Requests by
 * e-mail address are handled after the answer, in the background: the answer is the same, and
 * as fast, whether or not an account has that address, so it cannot be used to find out which
 * addresses are registered. Failures are logged (by account id, never the token or the address).
 */
export class AccountMails {
  private readonly pending = new Set<Promise<void>>()

  constructor(
    private readonly db: FolioDatabase,
    private readonly mailer: Mailer,
    /** The server's own address, for the verification links it answers itself. */
    private readonly serverUrl: () => string,
    private readonly log: Logger,
  ) {}

  /** Mails a reset link to the live account with `email`, if there is one and it is not over its rate limit. */
  requestPasswordReset(email: string): void {
    this.inBackground('passwordReset', async () => {
      const account = await this.liveAccount(email)
      if (account) await this.send(account, 'passwordReset')
    })
  }

  /** Mails a new verification link to the live, unverified account with `email`, if there is one and it is not over its rate limit. */
  requestVerification(email: string): void {
    this.inBackground('emailVerification', async () => {
      const account = await this.liveAccount(email)
      if (account && !account.emailVerified) await this.send(account, 'emailVerification')
    })
  }

  /** Mails a verification link to `account`'s address (a new account, a changed address). */
  sendVerification(account: Recipient): void {
    this.inBackground('emailVerification', () => this.send(account, 'emailVerification'))
  }

  /** Resolves once every mail asked for so far has been sent or has failed. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }

  private inBackground(purpose: AccountTokenPurpose, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => this.log.error('auth.account_mail_failed', { purpose, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.pending.delete(task))
    this.pending.add(task)
  }

  private async liveAccount(email: string) {
    const [account] = await this.db
      .select({ id: user.id, userName: user.userName, email: user.email, emailVerified: user.emailVerified })
      .from(user)
      .where(and(eq(user.email, email.toLowerCase()), eq(user.deleted, false)))
      .limit(1)
    return account
  }

  private async send(account: Recipient, purpose: AccountTokenPurpose): Promise<void> {
    const settings = mailSettings[purpose]
    const lifetimeMs = await settingMinutesMs(this.db, settings.lifetime, settings.lifetimeMinutes)
    const minIntervalMs = await settingMinutesMs(this.db, settings.interval, settings.intervalMinutes)
    const token = await SerialTransactions.of(this.db).transaction(() => accountTokens.issue(this.db, account.id, purpose, { lifetimeMs, minIntervalMs }, new Date()))
    if (!token) {
      this.log.info('auth.account_mail_rate_limited', { purpose, userId: account.id })
      return
    }
    const valid = describeDuration(lifetimeMs)
    if (purpose === 'passwordReset') {
      const appUrl = (await getSetting(this.db, 'system.baseUrl'))?.trim() || this.serverUrl()
      await this.mailer.send({
        to: account.email,
        subject: 'Reset your Folio password',
        text: [
          `Someone asked to reset the password of the Folio account "${account.userName}".`,
          `To choose a new password, open this link within ${valid}; it works once:`,
          '',
          `${appUrl.replace(/\/$/, '')}/reset-password?token=${token}`,
          '',
          'If it was not you, ignore this mail: your password stays as it is.',
        ].join('\n'),
      })
    } else {
      await this.mailer.send({
        to: account.email,
        subject: 'Confirm your e-mail address for Folio',
        text: [
          `To confirm this address for the Folio account "${account.userName}", open this link within ${valid}; it works once:`,
          '',
          `${this.serverUrl().replace(/\/$/, '')}/auth/verify-email?token=${token}`,
          '',
          'If you did not sign up, ignore this mail.',
        ].join('\n'),
      })
    }
    this.log.info('auth.account_mail_sent', { purpose, userId: account.id })
  }
}

function describeDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000))
  if (minutes % 1440 === 0) return minutes === 1440 ? '24 hours' : `${minutes / 1440} days`
  if (minutes % 60 === 0) return minutes === 60 ? 'an hour' : `${minutes / 60} hours`
  return minutes === 1 ? 'a minute' : `${minutes} minutes`
}
