import { FixedWindows } from './FixedWindows.js'

const refusal = 'too many registrations from this address; try again later'

/** Limits registrations per client address in fixed windows: each one costs an scrypt hash, whether or not it succeeds. */
export class RegistrationLimiter {
  private readonly registrations: FixedWindows

  constructor(
    private readonly maxPerAddress: number,
    windowMs: number,
  ) {
    this.registrations = new FixedWindows(windowMs)
  }

  /** Counts a registration from `address`; throws RateLimitedError once the address has used up its window. */
  take(address: string, now = Date.now()): void {
    this.registrations.refuseAtLimit(address, this.maxPerAddress, refusal, now)
    this.registrations.count(address, now)
  }
}
