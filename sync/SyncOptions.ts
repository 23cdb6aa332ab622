/** Tunables of the sync engine; the server fills them from its configuration. */
export interface SyncOptions {
  /** Yjs garbage collection of deleted content in live documents. */
  gc: boolean
  /** How long a document stays loaded after its last connection leaves. */
  unloadGraceMs: number
  /** Write a checkpoint when this many updates follow the last one... */
  checkpointEveryUpdates: number
  /** ...or when the updates after it add up to this many bytes. */
  checkpointEveryBytes: number
  /** A connection whose unsent output exceeds this is closed as too slow. */
  maxBufferedBytes: number
  /** Delay before retrying a failed write to the store. */
  persistRetryMs: number
}

export const defaultSyncOptions: SyncOptions = {
  gc: true,
  unloadGraceMs: 10_000,
  checkpointEveryUpdates: 500,
  checkpointEveryBytes: 1 << 20,
  maxBufferedBytes: 16 << 20,
  persistRetryMs: 1_000,
}
