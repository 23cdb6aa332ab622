/** One accepted update, ready to append to a document's log. */
export interface UpdateRecord {
  docId: string
  seq: number
  update: Uint8Array
  clientId: number | null
  userId: string | null
  /** Where it was written, as the server's document hooks tell (`DocHooks.recordContext`): JSON, or null. */
  context: string | null
  /** When the server stored it, ms since the epoch. */
  createdAt: number
  /** When the client says it was typed, within the bounds the server trusts (`typedAt.ts`); null or absent: not said. */
  typedAt?: number | null
}

/** Merged state of a document covering its log up to `seq`. */
export interface Checkpoint {
  docId: string
  seq: number
  state: Uint8Array
  stateVector: Uint8Array
  createdAt: number
}

/** What loading a document needs: the latest checkpoint and the log after it. */
export interface StoredDoc {
  checkpoint: Checkpoint | null
  /** Updates with seq above the checkpoint's, in seq order. */
  tail: Uint8Array[]
  /** Highest seq in the log, 0 for a new document. */
  lastSeq: number
}

/**
 * Turns on the store's connection for writes that must not run inside another caller's open
 * transaction. A job starts at once when no turn is ahead of it, otherwise after those ahead.
 */
export interface WriteTurns {
  /** Runs the synchronous `job` alone, after every turn queued before it. */
  exclusive<T>(job: () => T): Promise<T>
  /** `exclusive` that waits at most `boundMs`, then rolls back the open transaction and runs `job` at once: for shutdown. */
  last<T>(job: () => T, boundMs: number): Promise<T>
}

/**
 * The narrow storage interface the sync engine needs (y-redis style), so SQLite can be swapped
 * for another store without touching the sync path. Methods are synchronous because the
 * engine commits each event-loop tick before it broadcasts; a network store would turn
 * `appendUpdates` into a promise awaited by the committer.
 */
export interface DocStore {
  /** The engine takes a turn here for every write, so none lands inside a transaction another caller holds open. */
  readonly writeTurns: WriteTurns
  load(docId: string): StoredDoc
  /** Appends all records atomically (one transaction), or throws and appends none. */
  appendUpdates(records: readonly UpdateRecord[]): void
  writeCheckpoint(checkpoint: Checkpoint): void
  /** Removes the document's log and checkpoints, in one transaction. */
  deleteDoc(docId: string): void
  close(): void
}
