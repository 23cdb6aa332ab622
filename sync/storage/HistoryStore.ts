import type { Checkpoint, UpdateRecord } from './DocStore.js'

/** Reads of the retained log that history and exports need; not on the sync path. */
export interface HistoryStore {
  /** The latest checkpoint covering at most `seq`, or null. */
  checkpointAtOrBefore(docId: string, seq: number): Checkpoint | null
  /** Log records with `afterSeq < seq <= toSeq`, in order. */
  updates(docId: string, afterSeq: number, toSeq: number): UpdateRecord[]
  /** The last seq stored at or before `time` (ms since the epoch); 0 if none. */
  seqAtTime(docId: string, time: number): number
  /** The highest seq of the document's log; 0 for an empty log. */
  lastSeq(docId: string): number
}
