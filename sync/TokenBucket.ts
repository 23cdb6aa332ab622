/**
 * A token bucket: `perSecond` units sustained, bursts up to `burst`. Spending is all or nothing, so
 * a refused request costs the budget nothing.
 */
export class TokenBucket {
  private tokens: number

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private last = Date.now(),
  ) {
    this.tokens = burst
  }

  /** Spends `units`; false when the budget holds fewer (nothing is spent then). */
  take(units = 1, now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000)
    this.last = now
    if (this.tokens < units) return false
    this.tokens -= units
    return true
  }
}
