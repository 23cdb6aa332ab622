import { FixedWindows } from './FixedWindows.js'

/** Limits on failed logins, per account and per client address. */
export interface LoginLimits {
  maxFailuresPerAccount: number
  maxFailuresPerAddress: number
  windowMs: number
}

const refusal = 'too many failed logins; try again later'

/**
 * Counts failed logins in fixed windows; an account or address over its limit is refused with 429
 * until its window ends. Accounts are named by their budget (`loginBudget`), not by the text typed.
 */
export class LoginLimiter {
  private readonly failures: FixedWindows

  constructor(private readonly limits: LoginLimits) {
    this.failures = new FixedWindows(limits.windowMs)
  }

  /** Throws RateLimitedError if the account or the address has failed too often. */
  check(budget: string, address: string, now = Date.now()): void {
    for (const [key, max] of this.keys(budget, address)) this.failures.refuseAtLimit(key, max, refusal, now)
  }

  fail(budget: string, address: string, now = Date.now()): void {
    for (const [key] of this.keys(budget, address)) this.failures.count(key, now)
  }

  /** Throws RateLimitedError if the account has failed too often; for checks of an account's password that come from no address of their own (the old password of `userResetPwd`). */
  checkAccount(budget: string, now = Date.now()): void {
    this.failures.refuseAtLimit(`account:${budget}`, this.limits.maxFailuresPerAccount, refusal, now)
  }

  /** A wrong password for the account, counted against the same budget as failed logins. */
  failAccount(budget: string, now = Date.now()): void {
    this.failures.count(`account:${budget}`, now)
  }

  /** A successful login clears the account's failures (not the address's, which may serve many accounts). */
  succeed(budget: string): void {
    this.failures.forget(`account:${budget}`)
  }

  private keys(budget: string, address: string): [string, number][] {
    return [
      [`account:${budget}`, this.limits.maxFailuresPerAccount],
      [`address:${address}`, this.limits.maxFailuresPerAddress],
    ]
  }
}
