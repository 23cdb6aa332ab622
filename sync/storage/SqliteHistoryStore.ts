import { and, asc, desc, eq, gt, lt, lte, notInArray, sql } from 'drizzle-orm'
import { docCheckpoint, docUpdate, type FolioDatabase } from '../../schema/db/index.js'
import { asBuffer, asBytes } from './blobs.js'
import type { Checkpoint, UpdateRecord } from './DocStore.js'
import type { HistoryStore } from './HistoryStore.js'

/** HistoryStore on the same SQLite tables as the DocStore. */
export class SqliteHistoryStore implements HistoryStore {
  constructor(private readonly db: FolioDatabase) {}

  checkpointAtOrBefore(docId: string, seq: number): Checkpoint | null {
    const row = this.db
      .select()
      .from(docCheckpoint)
      .where(and(eq(docCheckpoint.docId, docId), lte(docCheckpoint.seq, seq)))
      .orderBy(desc(docCheckpoint.seq))
      .limit(1)
      .get()
    return row ? { ...row, state: asBytes(row.state), stateVector: asBytes(row.stateVector) } : null
  }

  updates(docId: string, afterSeq: number, toSeq: number): UpdateRecord[] {
    return this.db
      .select()
      .from(docUpdate)
      .where(and(eq(docUpdate.docId, docId), gt(docUpdate.seq, afterSeq), lte(docUpdate.seq, toSeq)))
      .orderBy(asc(docUpdate.seq))
      .all()
      .map((row) => ({ ...row, update: asBytes(row.update) }))
  }

  seqAtTime(docId: string, time: number): number {
    const row = this.db
      .select({ seq: sql<number | null>`max(${docUpdate.seq})` })
      .from(docUpdate)
      .where(and(eq(docUpdate.docId, docId), lte(docUpdate.createdAt, time)))
      .get()
    return row?.seq ?? 0
  }

  lastSeq(docId: string): number {
    return this.seqAtTime(docId, Number.MAX_SAFE_INTEGER)
  }

  firstSeq(docId: string): number {
    const row = this.db
      .select({ seq: sql<number | null>`min(${docUpdate.seq})` })
      .from(docUpdate)
      .where(eq(docUpdate.docId, docId))
      .get()
    return row?.seq ?? 0
  }

  docsWithUpdatesBefore(time: number): string[] {
    return this.db
      .selectDistinct({ docId: docUpdate.docId })
      .from(docUpdate)
      .where(lt(docUpdate.createdAt, time))
      .orderBy(asc(docUpdate.docId))
      .all()
      .map((row) => row.docId)
  }

  trimBelow(docId: string, seq: number, checkpoints: readonly Checkpoint[], keepCheckpointSeqs: readonly number[]): { updates: number; checkpoints: number } {
    return this.db.transaction((tx) => {
      for (const checkpoint of checkpoints) {
        tx.insert(docCheckpoint)
          .values({ ...checkpoint, state: asBuffer(checkpoint.state), stateVector: asBuffer(checkpoint.stateVector) })
          .onConflictDoNothing()
          .run()
      }
      const updates = tx
        .delete(docUpdate)
        .where(and(eq(docUpdate.docId, docId), lt(docUpdate.seq, seq)))
        .run().changes
      const removed = tx
        .delete(docCheckpoint)
        .where(and(eq(docCheckpoint.docId, docId), lt(docCheckpoint.seq, seq), keepCheckpointSeqs.length > 0 ? notInArray(docCheckpoint.seq, [...keepCheckpointSeqs]) : undefined))
        .run().changes
      return { updates, checkpoints: removed }
    })
  }
}
