import { RateLimitedError } from '../errors.js'

/** Limits on failed logins, per account and per client address. */
export interface LoginLimits {
  maxFailuresPerAccount: number
  maxFailuresPerAddress: number
  windowMs: number
}

interface Window {
  failures: number
  resetsAt: number
}

/** Counts failed logins in fixed windows; a key over its limit is refused with 429 until its window ends. */
export class LoginLimiter {
  private readonly windows = new Map<string, Window>()

  constructor(private readonly limits: LoginLimits) {}

  /** Throws RateLimitedError if the account or the address has failed too often. */
  check(account: string, address: string, now = Date.now()): void {
    for (const [key, max] of this.keys(account, address)) {
      const window = this.live(key, now)
      if (window && window.failures >= max) {
        throw new RateLimitedError('too many failed logins; try again later', Math.ceil((window.resetsAt - now) / 1000))
      }
    }
  }

  fail(account: string, address: string, now = Date.now()): void {
    for (const [key] of this.keys(account, address)) {
      const window = this.live(key, now) ?? { failures: 0, resetsAt: now + this.limits.windowMs }
      window.failures++
      this.windows.set(key, window)
    }
  }

  /** A successful login clears the account's failures (not the address's, which may serve many accounts). */
  succeed(account: string): void {
    this.windows.delete(`account:${account.toLowerCase()}`)
  }

  private keys(account: string, address: string): [string, number][] {
    return [
      [`account:${account.toLowerCase()}`, this.limits.maxFailuresPerAccount],
      [`address:${address}`, this.limits.maxFailuresPerAddress],
    ]
  }

  private live(key: string, now: number): Window | null {
    const window = this.windows.get(key)
    if (!window) return null
    if (window.resetsAt <= now) {
      this.windows.delete(key)
      return null
    }
    return window
  }
}
