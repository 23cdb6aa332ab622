import { RpcError } from './RpcError.js'

/** What a refresh needs: the call to `POST /auth/refresh` with the current token. */
export type RefreshCall = () => Promise<{ expiresAt: string }>

/** The earliest a refresh runs after the last one, however short the token's life. */
const minDelayMs = 1_000
/** After a failed refresh that reached no server, the next try; retried while the token still lives. */
const retryDelayMs = 5_000

/**
 * Keeps a signed-in session alive: halfway through each token lifetime it asks the server to move
 * the expiry on. The token stays the same, so the events socket and every doc's socket stay open.
 * A refresh the server refuses (401: revoked or expired) stops here; the sockets then hear 4401
 * from the server and the client reports `unauthenticated` as for any ended session.
 */
export class SessionRefresh {
  private timer: ReturnType<typeof setTimeout> | null = null
  private expiresAt = 0

  constructor(
    private readonly refresh: RefreshCall,
    /** Off: nothing is refreshed, the session ends when its token does. */
    private readonly enabled: boolean,
  ) {}

  /** Plans the refreshes of a token that expires at `expiresAt` (ISO). */
  start(expiresAt: string): void {
    this.expiresAt = Date.parse(expiresAt)
    this.schedule(Math.max(minDelayMs, (this.expiresAt - Date.now()) / 2))
  }

  /** Refreshes at once, for a token whose expiry is not known (one restored from storage). */
  now(): void {
    this.expiresAt = Number.POSITIVE_INFINITY
    this.schedule(0)
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(delayMs: number): void {
    this.stop()
    if (!this.enabled) return
    this.timer = setTimeout(() => void this.run(), delayMs)
    // A pending refresh alone must not keep a Node process alive.
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  private async run(): Promise<void> {
    this.timer = null
    try {
      this.start((await this.refresh()).expiresAt)
    } catch (error) {
      if (error instanceof RpcError && error.reason === 'server') return
      if (Date.now() + retryDelayMs < this.expiresAt) this.schedule(retryDelayMs)
    }
  }
}
