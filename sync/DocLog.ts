import type { Checkpoint, StoredDoc, UpdateRecord } from './storage/index.js'

/** An update applied to a live document and waiting to be stored. */
export interface PendingUpdate {
  update: Uint8Array
  /** The transaction origin: the connection that sent it, or a server-side writer. */
  origin: unknown
  clientId: number | null
  userId: string | null
  /** When the client says it typed the update, within the bounds the server trusts; null: not said. */
  typedAt: number | null
}

/**
 * A live document's place in its update log: the seq of the last stored update, the updates
 * applied since (numbered after it when they are stored), and how much tail the latest checkpoint
 * leaves behind.
 */
export class DocLog {
  private pending: PendingUpdate[] = []
  private lastSeq: number
  private checkpointSeq: number
  private bytesSinceCheckpoint = 0

  constructor(
    private readonly docName: string,
    stored: StoredDoc,
  ) {
    this.lastSeq = stored.lastSeq
    this.checkpointSeq = stored.checkpoint?.seq ?? 0
    for (const update of stored.tail) this.bytesSinceCheckpoint += update.byteLength
  }

  /** Whether updates are waiting to be stored. */
  get isDirty(): boolean {
    return this.pending.length > 0
  }

  /** How many updates wait to be stored. */
  get pendingCount(): number {
    return this.pending.length
  }

  /** The updates waiting to be stored, oldest first. */
  get unstored(): readonly PendingUpdate[] {
    return this.pending
  }

  add(update: PendingUpdate): void {
    this.pending.push(update)
  }

  /** Log records for the updates not yet stored, numbered after the last stored seq, each with its writer's `contextOf`. */
  records(createdAt: number, contextOf: (userId: string | null) => string | null): UpdateRecord[] {
    return this.pending.map((p, i) => ({ docId: this.docName, seq: this.lastSeq + i + 1, update: p.update, clientId: p.clientId, userId: p.userId, context: contextOf(p.userId), createdAt, typedAt: p.typedAt }))
  }

  /** The records last returned by `records` are stored: advances past them and returns their updates. */
  stored(): PendingUpdate[] {
    const updates = this.pending
    this.pending = []
    this.lastSeq += updates.length
    for (const p of updates) this.bytesSinceCheckpoint += p.update.byteLength
    return updates
  }

  /** Forgets the unstored updates from the `from`-th on (they will never be stored) and returns them. */
  discard(from = 0): PendingUpdate[] {
    return this.pending.splice(from)
  }

  /** Whether the log tail has grown past either checkpoint threshold. */
  needsCheckpoint(everyUpdates: number, everyBytes: number): boolean {
    return this.lastSeq - this.checkpointSeq >= everyUpdates || this.bytesSinceCheckpoint >= everyBytes
  }

  /** A checkpoint of the stored state `encode` gives, or null when it would add nothing (or state is unstored). */
  checkpoint(encode: () => { state: Uint8Array; stateVector: Uint8Array }, createdAt: number): Checkpoint | null {
    if (this.isDirty || this.lastSeq === this.checkpointSeq) return null
    return { docId: this.docName, seq: this.lastSeq, ...encode(), createdAt }
  }

  /** The checkpoint from `checkpoint` is stored. */
  checkpointStored(checkpoint: Checkpoint): void {
    this.checkpointSeq = checkpoint.seq
    this.bytesSinceCheckpoint = 0
  }
}
