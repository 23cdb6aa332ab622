import type { EventClient } from './EventClient.js'
import type { EventHub } from './EventHub.js'

/** Named groups of events clients (the original's socket.io rooms, e.g. `doc:<id>`), left automatically on close. */
export class Rooms {
  private readonly members = new Map<string, Set<EventClient>>()

  constructor(hub: EventHub) {
    hub.onClose((client) => {
      for (const room of this.members.keys()) this.leave(room, client)
    })
  }

  join(room: string, client: EventClient): void {
    let clients = this.members.get(room)
    if (!clients) this.members.set(room, (clients = new Set()))
    clients.add(client)
  }

  leave(room: string, client: EventClient): void {
    const clients = this.members.get(room)
    if (!clients?.delete(client)) return
    if (clients.size === 0) this.members.delete(room)
  }

  membersOf(room: string): readonly EventClient[] {
    return [...(this.members.get(room) ?? [])]
  }
}

/** The room of the clients following a document's annotations, comments and edits. */
export const documentRoom = (documentId: number): string => `doc:${documentId}`

/** The room of the clients following a study's sessions (`studySessionSubscribe`). */
export const studyRoom = (studyId: number): string => `study:${studyId}`
