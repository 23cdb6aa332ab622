/** What the server trusts of a client's claim of when it typed an update. */
export interface TypedAtBounds {
  /** The earliest typing time believed: when the login session of the connection began (ms since the epoch). */
  sessionStartedAt: number
  /** The server's clock, ms since the epoch. */
  now: number
  /** How far a client's clock may be off the server's (`SyncOptions.maxClockSkewMs`). */
  clockSkewMs: number
}

/**
 * The typing time the server stores for a client's claim, or null to store none (the arrival time
 * then stands, as for a stock client). A claim within `clockSkewMs` past a bound is a clock a
 * little off and is moved onto the bound: never later than now (an edit cannot be typed after it
 * arrived) nor earlier than the session's start. A claim further out is not a time the server can
 * put anywhere: it is ignored rather than clamped, since clamping would store a time nobody
 * claimed (a far-future claim would become "now", hiding that it was wrong, and an old one would
 * pile every such edit onto the session's first millisecond).
 */
export function trustedTypedAt(claimed: number | null, bounds: TypedAtBounds): number | null {
  if (claimed === null) return null
  const { sessionStartedAt, now, clockSkewMs } = bounds
  if (claimed > now + clockSkewMs || claimed < sessionStartedAt - clockSkewMs) return null
  return Math.min(now, Math.max(sessionStartedAt, claimed))
}
