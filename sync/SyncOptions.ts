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
  /**
   * Work one event-loop turn takes in from clients, in structs plus delete ranges (every frame
   * counts at least one). Past it, connections that send more wait, paused, for the next turn, so
   * a burst is stored and broadcast in slices and other connections are served in between.
   */
  maxStructsPerTurn: number
  /**
   * Longest a turn takes in client work, in ms from its first frame (which it always takes in); past
   * it, like past `maxStructsPerTurn`, connections wait for the next turn. Bounds a turn
   * whatever a struct costs: on a cold start, or with the CPU shared, 2,000 structs take 0.5 s.
   */
  maxTurnMs: number
  /** Most structs plus delete ranges one update may hold; a bigger one closes its sender with 4413. */
  maxUpdateStructs: number
  /** Structs plus delete ranges one connection may send per second, in bursts of a second's worth (at least one `maxUpdateStructs`); more closes it with 4429. */
  maxStructsPerSecond: number
  /** Bytes one connection may send per second, in bursts of twice that; more closes it with 4429. */
  maxBytesPerSecond: number
  /**
   * How far a client's clock may be off the server's, in ms: a typing time claimed this far past
   * now or before its session began is moved onto that bound; further out it is ignored (`typedAt.ts`).
   */
  maxClockSkewMs: number
  /** How long shutdown waits for an open RPC transaction before rolling it back and storing the pending updates. */
  shutdownWaitMs: number
}

/**
 * Sized on the 2-core bench machine: a full turn of 2,000 one-character updates applies, stores and
 * broadcasts in tens of milliseconds, and an update at the limit (50k map entries) applies in 0.1-0.35 s.
 */
export const defaultSyncOptions: SyncOptions = {
  gc: true,
  unloadGraceMs: 10_000,
  checkpointEveryUpdates: 500,
  checkpointEveryBytes: 1 << 20,
  maxBufferedBytes: 16 << 20,
  maxStructsPerTurn: 2_000,
  maxTurnMs: 15,
  maxUpdateStructs: 50_000,
  maxStructsPerSecond: 200_000,
  maxBytesPerSecond: 16 << 20,
  shutdownWaitMs: 3_000,
  maxClockSkewMs: 5_000,
}
