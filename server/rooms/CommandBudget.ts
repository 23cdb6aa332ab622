/**
 * A token bucket per signaling connection: `perSecond` commands sustained, bursts of twice that.
 * Commands write to the database and fan out to the whole room, so one client must not flood them.
 */
export class CommandBudget {
  private tokens: number
  private readonly burst: number

  constructor(
    private readonly perSecond: number,
    private last = Date.now(),
  ) {
    this.burst = perSecond * 2
    this.tokens = this.burst
  }

  /** Spends one command; false when the budget is used up (the command is refused). */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
