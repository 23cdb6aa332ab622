import { CloseCode } from '../../sync/index.js'
import type { EventClient } from './EventClient.js'

/** The open events websockets, for pushes to many clients (`<table>Refresh`). */
export class EventHub {
  readonly clients = new Set<EventClient>()
  private readonly closeListeners: ((client: EventClient) => void)[] = []

  add(client: EventClient): void {
    this.clients.add(client)
  }

  remove(client: EventClient): void {
    if (!this.clients.delete(client)) return
    for (const listener of this.closeListeners) listener(client)
  }

  /** Closes, with 4401, every socket whose token expired or was revoked since it opened; each is sent `logout` first. */
  async endExpiredSessions(): Promise<void> {
    for (const client of [...this.clients]) if (!(await client.currentUser())) endSession(client)
  }

  /** Runs `listener` when a client's socket closes, to drop what was kept for it. */
  onClose(listener: (client: EventClient) => void): void {
    this.closeListeners.push(listener)
  }
}

/** Tells a client its session ended (`logout`, so an app can show its login) and closes its socket with 4401. */
export function endSession(client: EventClient): void {
  client.send('logout', null)
  client.end(CloseCode.unauthenticated, 'token expired or revoked')
}
