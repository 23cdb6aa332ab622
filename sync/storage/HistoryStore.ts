import type { Checkpoint, UpdateRecord } from './DocStore.js'

/** Reads of the retained log that history and exports need, and its trimming; not on the sync path. */
export interface HistoryStore {
  /** The latest checkpoint covering at most `seq`, or null. */
  checkpointAtOrBefore(docId: string, seq: number): Checkpoint | null
  /** Log records with `afterSeq < seq <= toSeq`, in order. */
  updates(docId: string, afterSeq: number, toSeq: number): UpdateRecord[]
  /** The last seq stored at or before `time` (ms since the epoch); 0 if none. */
  seqAtTime(docId: string, time: number): number
  /** The highest seq of the document's log; 0 for an empty log. */
  lastSeq(docId: string): number
  /** The lowest seq still in the document's log: 1 unless the log was trimmed, 0 for an empty log. */
  firstSeq(docId: string): number
  /** Documents with log records stored before `time`: the candidates for trimming. */
  docsWithUpdatesBefore(time: number): string[]
  /**
   * In one transaction: stores `checkpoints` (one of them at `seq`), deletes the log records
   * below `seq` and the checkpoints below `seq` except those at `keepCheckpointSeqs`.
   * Returns how many log records and checkpoints were deleted.
   */
  trimBelow(docId: string, seq: number, checkpoints: readonly Checkpoint[], keepCheckpointSeqs: readonly number[]): { updates: number; checkpoints: number }
}
