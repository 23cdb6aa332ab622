/** How long the events socket waits between reconnect attempts. */
export interface BackoffOptions {
  /** Ceiling of the first wait; each failed attempt doubles it. Default 500 ms. */
  baseMs?: number
  /** The ceiling never grows past this. Default 30 s. */
  maxMs?: number
  /** Source of randomness in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number
}

export const defaultBackoff = { baseMs: 500, maxMs: 30_000 } as const

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(max, base * 2^attempt)).
 * Full jitter spreads the reconnects of many clients after a server restart instead of
 * having them all arrive in the same instant.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = defaultBackoff.baseMs, maxMs = defaultBackoff.maxMs, random = Math.random } = options
  // The exponent is capped only to keep the arithmetic finite; maxMs is the real limit.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 40))
  return Math.floor(random() * ceiling)
}
