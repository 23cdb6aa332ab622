import type { EventClient, Rooms } from '../events/index.js'
import { studyRoom } from '../events/index.js'
import { refreshEvent } from '../realtime/index.js'
import type { TableChange } from '../rpc/index.js'
import type { Logger } from '../../sync/index.js'

type Row = Record<string, unknown>

/** Decides again whether a follower may still follow its study: with its user as of now, and the study as it now is. */
export type FollowCheck = (client: EventClient) => Promise<boolean>

/**
 * The clients following a study's sessions (`studySessionSubscribe`, checked there): after every
 * commit, each written session (started, moved, finished, deleted) reaches the followers of its
 * study as `study_sessionRefresh`, whoever wrote it and however. Each push first decides again
 * whether the follower may still follow (its right taken away, the study deleted or given to
 * someone else, its token gone): one who may not is dropped from the study's followers.
 */
export class SessionFollowers {
  /** By follower and study: how it is decided again. Weak, so a closed socket's entries go with it. */
  private readonly checks = new WeakMap<EventClient, Map<number, FollowCheck>>()
  private publishing: Promise<void> = Promise.resolve()

  constructor(
    private readonly rooms: Rooms,
    /** Where a failed push is reported (a check whose database failed). */
    private readonly log: Logger,
  ) {}

  follow(client: EventClient, studyId: number, check: FollowCheck): void {
    let checks = this.checks.get(client)
    if (!checks) this.checks.set(client, (checks = new Map()))
    checks.set(studyId, check)
    this.rooms.join(studyRoom(studyId), client)
  }

  unfollow(client: EventClient, studyId: number): void {
    this.checks.get(client)?.delete(studyId)
    this.rooms.leave(studyRoom(studyId), client)
  }

  publish(changes: readonly TableChange[]): void {
    const byStudy = new Map<number, Row[]>()
    for (const change of changes) {
      if (change.table !== 'study_session') continue
      for (const { row } of change.writes) byStudy.set(row.studyId as number, [...(byStudy.get(row.studyId as number) ?? []), row])
    }
    if (byStudy.size === 0) return
    // One commit's pushes at a time, so a follower never gets an older state of a session after a newer one.
    this.publishing = this.publishing
      .then(() => this.push(byStudy))
      .catch((error: unknown) => this.log.error('studies.followers_push_failed', { error: String(error) }))
  }

  private async push(byStudy: Map<number, Row[]>): Promise<void> {
    for (const [studyId, rows] of byStudy) {
      for (const client of this.rooms.membersOf(studyRoom(studyId))) {
        const check = this.checks.get(client)?.get(studyId)
        if (!check || !(await check(client))) {
          this.unfollow(client, studyId)
          continue
        }
        client.send(refreshEvent('study_session'), rows)
      }
    }
  }
}
