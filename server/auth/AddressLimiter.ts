import { FixedWindows } from './FixedWindows.js'

/**
 * Limits one kind of request per client address in fixed windows: registrations (each costs an
 * scrypt hash, whether or not it succeeds) and account mail requests (each may send a mail).
 */
export class AddressLimiter {
  private readonly requests: FixedWindows

  constructor(
    private readonly maxPerAddress: number,
    windowMs: number,
    private readonly refusal: string,
  ) {
    this.requests = new FixedWindows(windowMs)
  }

  /** Counts a request from `address`; throws RateLimitedError once the address has used up its window. */
  take(address: string, now = Date.now()): void {
    this.requests.refuseAtLimit(address, this.maxPerAddress, this.refusal, now)
    this.requests.count(address, now)
  }
}
