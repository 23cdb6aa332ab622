import * as Y from 'yjs'
import { annotationsDoc } from '../../schema/index.js'
import { type DocHooks, type Logger, touchedEntries } from '../../sync/index.js'
import { type FolioDatabase } from '../../schema/db/index.js'
import { decideSessionAccess, Permissions } from '../access/index.js'
import { documentRoom, type Rooms } from '../events/index.js'
import { type EntryCollection, entryCollections, entryRow, type Row, userNamesOf } from './entryRows.js'

/**
 * Pushes `annotationRefresh`, `commentRefresh` and `comment_voteRefresh` to the clients in the
 * document's room for every committed change of its annotations doc (or of a study session's),
 * whichever way the change came in (a y-websocket client, an RPC call, a guard repair). Each
 * member gets the rows as it may see them, checked against its current rights.
 */
export class AnnotationsPublisher implements DocHooks {
  private readonly collections: Map<Y.Map<unknown>, EntryCollection>
  private readonly pending = new Map<EntryCollection, Set<string>>()
  private publishing: Promise<void> = Promise.resolve()

  constructor(
    private readonly doc: Y.Doc,
    private readonly documentId: number,
    /** The study session whose own annotations doc this is; null for the document's. */
    private readonly studySessionId: number | null,
    private readonly rooms: Rooms,
    private readonly db: FolioDatabase,
    private readonly log: Logger,
  ) {
    this.collections = new Map(annotationsDoc.collections.map((name) => [doc.getMap<unknown>(name), name]))
  }

  afterTransaction(transaction: Y.Transaction): void {
    for (const [collection, ids] of touchedEntries(transaction, this.collections)) {
      const name = this.collections.get(collection)!
      let pending = this.pending.get(name)
      if (!pending) this.pending.set(name, (pending = new Set()))
      for (const id of ids) pending.add(id)
    }
  }

  committed(): void {
    if (this.pending.size === 0) return
    const changed = [...this.pending].map(([name, ids]) => ({ name, entries: [...ids].map((id) => [id, toJson(this.doc.getMap(name).get(id))] as const) }))
    this.pending.clear()
    // One push at a time, so a member never gets an older state of an entry after a newer one.
    this.publishing = this.publishing
      .then(() => this.publish(changed))
      .catch((error: unknown) => this.log.error('annotations.publish_failed', { documentId: this.documentId, error: String(error) }))
  }

  private async publish(changed: { name: EntryCollection; entries: (readonly [string, unknown])[] }[]): Promise<void> {
    const members = this.rooms.membersOf(documentRoom(this.documentId))
    if (members.length === 0) return
    const userNames = await userNamesOf(this.db, changed.flatMap(({ entries }) => entries.map(([, entry]) => entry)))
    for (const member of members) {
      const user = await member.currentUser()
      if (!user) continue
      const can = await Permissions.load(this.db, user)
      if (!(await this.maySee(can))) continue
      const viewer = { userId: user.id, isAdmin: can.isAdmin() }
      for (const { name, entries } of changed) {
        const rows = entries.flatMap(([id, entry]) => this.inSession(entryRow(id, entry, this.documentId, viewer, userNames)) ?? [])
        if (rows.length > 0) member.send(entryCollections[name].refresh, rows)
      }
    }
    this.log.debug('annotations.published', { documentId: this.documentId, members: members.length })
  }

  /** A session's entries reach only who may open the session's doc (its scoping rule); the document's, its readers. */
  private async maySee(can: Permissions): Promise<boolean> {
    if (this.studySessionId === null) return can.checkDocumentAccess(this.documentId)
    const decided = await decideSessionAccess(this.db, can, { sessionId: this.studySessionId, documentId: this.documentId })
    return typeof decided !== 'string' && decided.docSessionId === this.studySessionId
  }

  /** A session's rows say which session they belong to, so the document's room can tell them from its own. */
  private inSession(row: Row | null): Row | null {
    if (!row || this.studySessionId === null) return row
    return { ...row, studySessionId: row.studySessionId ?? this.studySessionId }
  }
}

function toJson(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}
