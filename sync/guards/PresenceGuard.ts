import { type Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import { type AwarenessEntry, encodeAwarenessEntries } from '../protocol/index.js'

/**
 * How long a departed awareness client stays reserved for its principal: far longer than a
 * reconnect takes, short enough that a long-lived doc does not remember every client it has seen.
 */
const reservationMs = 10 * 60_000

/** Who presents on a connection: its principal (a pad participant, else an account) and, for pad connections, the name it must show. */
export interface Presenter {
  readonly principal: string
  readonly presenceName: string | null
}

interface Owner {
  principal: string
  /** The connection presenting the client now; null once it left. */
  presenter: Presenter | null
  releasedAt: number
}

/**
 * The awareness (presence) of one document, guarded. Each awareness client belongs to the
 * principal that first presented it, for as long as the doc is loaded (and `reservationMs` after
 * it left). y-websocket clients echo the states of others they received (and relay those of
 * their other tabs), so entries for another principal's clients are expected and ignored, never
 * applied: nobody can change, remove or take over someone else's presence. The same principal may
 * (a reconnect with the same client id while the old socket lingers, a second tab). Pad
 * connections' own entries must carry their participant's name as `user.name`.
 */
export class PresenceGuard {
  private readonly owners = new Map<number, Owner>()

  constructor(private readonly awareness: Awareness) {}

  /** Applies the entries of an awareness update that `presenter` may set, with `presenter` as origin. */
  present(presenter: Presenter, update: Uint8Array, entries: readonly AwarenessEntry[]): void {
    const accepted = entries.filter((entry) => this.mayPresent(presenter, entry))
    if (accepted.length === 0) return
    const now = Date.now()
    for (const entry of accepted) {
      const owner = this.owners.get(entry.clientId)
      const current = entry.state === null ? null : presenter
      if (!owner) this.owners.set(entry.clientId, { principal: presenter.principal, presenter: current, releasedAt: now })
      // Only a newer state moves the client to this connection (an echo of an old one does not).
      else if (entry.clock > (this.awareness.meta.get(entry.clientId)?.clock ?? -1)) Object.assign(owner, { presenter: current, releasedAt: now })
    }
    applyAwarenessUpdate(this.awareness, accepted.length === entries.length ? update : encodeAwarenessEntries(accepted), presenter)
  }

  /** The awareness client `presenter` presents now (y-websocket uses the doc's Yjs client id), if any. */
  clientOf(presenter: Presenter): number | null {
    for (const [clientId, owner] of this.owners) if (owner.presenter === presenter) return clientId
    return null
  }

  /** `presenter` left: its clients leave the awareness, stay reserved a while, and old reservations end. */
  release(presenter: Presenter): void {
    const presented: number[] = []
    const now = Date.now()
    for (const [clientId, owner] of this.owners) {
      if (owner.presenter === presenter) {
        owner.presenter = null
        owner.releasedAt = now
        presented.push(clientId)
      } else if (owner.presenter === null && now - owner.releasedAt > reservationMs) {
        this.owners.delete(clientId)
      }
    }
    if (presented.length > 0) removeAwarenessStates(this.awareness, presented, presenter)
  }

  private mayPresent(presenter: Presenter, entry: AwarenessEntry): boolean {
    const owner = this.owners.get(entry.clientId)
    if (owner && owner.principal !== presenter.principal) return false
    return presenter.presenceName === null || presentsAs(entry.state, presenter.presenceName)
  }
}

/** Whether an awareness state claims no other name than `name`: a left client (null) or a state without `user.name` claims none. */
function presentsAs(state: unknown, name: string): boolean {
  if (typeof state !== 'object' || state === null || !('user' in state)) return true
  const user = (state as { user: unknown }).user
  if (typeof user !== 'object' || user === null || !('name' in user)) return true
  return (user as { name: unknown }).name === name
}
