import type { SessionUser } from '../auth/index.js'

/** One open events websocket: who is on it, and how to push to it. */
export interface EventClient {
  readonly id: string
  /** The socket's user as of now: null once its token expired or was revoked. */
  currentUser(): Promise<SessionUser | null>
  /** Pushes `{event, data}`. */
  send(event: string, data: unknown): void
  /** Closes the socket with `code` and `reason`. */
  end(code: number, reason: string): void
}
