/**
 * A local store of doc replicas, for shells that must work offline: a doc opened with one shows
 * its last state at once, and every local update stays stored as pending until the server has
 * stored it, however often the shell restarts in between.
 */
export interface ReplicaStore {
  /** The stored replica of doc `name` (a Promise where the platform's storage is asynchronous). */
  open(name: string): StoredReplica | Promise<StoredReplica>
}

/** A local update the server has not acknowledged yet. */
export interface PendingUpdate {
  readonly id: number
  readonly update: Uint8Array
  /** When it was made, ms since the epoch; null for one stored before replicas kept the time. */
  readonly typedAt: number | null
}

/** One doc's replica in a store. */
export interface StoredReplica {
  /** Every stored update of the doc, pending ones included: applied together they are its last state. */
  readonly updates: readonly Uint8Array[]
  /** Local updates the server has not acknowledged, oldest first. */
  readonly pending: readonly PendingUpdate[]
  /** Keeps an update that came from the server. */
  storeRemote(update: Uint8Array): void
  /** Keeps a local update made at `typedAt` as pending. Where storage is synchronous (SQLite) it is on disk when this returns. */
  storeLocal(update: Uint8Array, typedAt: number): PendingUpdate
  /** The server holds these pending updates: they stay in the replica, no longer pending. */
  acknowledge(ids: readonly number[]): void
  /** Once the stored updates that are not pending pass the store's limit, replaces them by `state()`, the whole replica. */
  compact(state: () => Uint8Array): void
  /** Stops using this replica; the store stays open for other docs. */
  close(): void
}
