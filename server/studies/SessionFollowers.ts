import type { EventClient, Rooms } from '../events/index.js'
import { studyRoom } from '../events/index.js'
import { refreshEvent } from '../realtime/index.js'
import type { TableChange } from '../rpc/index.js'

type Row = Record<string, unknown>

/**
 * The clients following a study's sessions (`studySessionSubscribe`, checked there): after every
 * commit, each written session (started, moved, finished, deleted) reaches the followers of its
 * study as `study_sessionRefresh`, whoever wrote it and however.
 */
export class SessionFollowers {
  constructor(private readonly rooms: Rooms) {}

  follow(client: EventClient, studyId: number): void {
    this.rooms.join(studyRoom(studyId), client)
  }

  unfollow(client: EventClient, studyId: number): void {
    this.rooms.leave(studyRoom(studyId), client)
  }

  publish(changes: readonly TableChange[]): void {
    const byStudy = new Map<number, Row[]>()
    for (const change of changes) {
      if (change.table !== 'study_session') continue
      for (const { row } of change.writes) byStudy.set(row.studyId as number, [...(byStudy.get(row.studyId as number) ?? []), row])
    }
    for (const [studyId, rows] of byStudy) {
      for (const client of this.rooms.membersOf(studyRoom(studyId))) client.send(refreshEvent('study_session'), rows)
    }
  }
}
