import { RateLimitedError } from '../errors.js'

interface Window {
  count: number
  endsAt: number
}

/** Counts attempts per key in fixed windows of one length: a key's count starts again from zero when its window ends. */
export class FixedWindows {
  // Every window has the same length and starts at its key's first attempt, so the map's insertion
  // order is the order in which windows end: pruning from the front stays cheap, and a flood of
  // made-up keys is forgotten once its windows end rather than kept for the life of the process.
  private readonly windows = new Map<string, Window>()

  constructor(private readonly windowMs: number) {}

  /** Throws RateLimitedError with `message` when `key` has `max` attempts in its current window. */
  refuseAtLimit(key: string, max: number, message: string, now: number): void {
    const window = this.live(key, now)
    if (window && window.count >= max) throw new RateLimitedError(message, Math.ceil((window.endsAt - now) / 1000))
  }

  count(key: string, now: number): void {
    const window = this.live(key, now) ?? { count: 0, endsAt: now + this.windowMs }
    window.count++
    this.windows.set(key, window)
  }

  forget(key: string): void {
    this.windows.delete(key)
  }

  private live(key: string, now: number): Window | null {
    for (const [oldest, window] of this.windows) {
      if (window.endsAt > now) break
      this.windows.delete(oldest)
    }
    const window = this.windows.get(key)
    // Behind a clock set back, a window that has ended may sit behind one that has not.
    if (window && window.endsAt <= now) {
      this.windows.delete(key)
      return null
    }
    return window ?? null
  }
}
