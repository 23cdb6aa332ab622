import { and, asc, desc, eq, gt, sql } from 'drizzle-orm'
import { docCheckpoint, docUpdate, type FolioDatabase } from '../../schema/db/index.js'
import { asBuffer, asBytes } from './blobs.js'
import type { Checkpoint, DocStore, StoredDoc, UpdateRecord } from './DocStore.js'
import { SerialTransactions } from './SerialTransactions.js'

const docIdParam = sql.placeholder('docId')
const seqParam = sql.placeholder('seq')

/** DocStore on SQLite through Drizzle, with every hot statement prepared once. */
export class SqliteDocStore implements DocStore {
  private readonly insertUpdate
  private readonly insertCheckpoint
  private readonly latestCheckpoint
  private readonly tailAfter
  private readonly maxSeq
  readonly writeTurns: SerialTransactions

  constructor(private readonly db: FolioDatabase) {
    this.writeTurns = SerialTransactions.of(db)
    this.insertUpdate = db
      .insert(docUpdate)
      .values({
        docId: docIdParam,
        seq: seqParam,
        update: sql.placeholder('update'),
        clientId: sql.placeholder('clientId'),
        userId: sql.placeholder('userId'),
        context: sql.placeholder('context'),
        createdAt: sql.placeholder('createdAt'),
        typedAt: sql.placeholder('typedAt'),
      })
      .prepare()
    this.insertCheckpoint = db
      .insert(docCheckpoint)
      .values({
        docId: docIdParam,
        seq: seqParam,
        state: sql.placeholder('state'),
        stateVector: sql.placeholder('stateVector'),
        createdAt: sql.placeholder('createdAt'),
      })
      .onConflictDoNothing()
      .prepare()
    this.latestCheckpoint = db
      .select({ seq: docCheckpoint.seq, state: docCheckpoint.state, stateVector: docCheckpoint.stateVector, createdAt: docCheckpoint.createdAt })
      .from(docCheckpoint)
      .where(eq(docCheckpoint.docId, docIdParam))
      .orderBy(desc(docCheckpoint.seq))
      .limit(1)
      .prepare()
    this.tailAfter = db
      .select({ update: docUpdate.update })
      .from(docUpdate)
      .where(and(eq(docUpdate.docId, docIdParam), gt(docUpdate.seq, seqParam)))
      .orderBy(asc(docUpdate.seq))
      .prepare()
    this.maxSeq = db
      .select({ seq: sql<number | null>`max(${docUpdate.seq})` })
      .from(docUpdate)
      .where(eq(docUpdate.docId, docIdParam))
      .prepare()
  }

  load(docId: string): StoredDoc {
    return this.db.transaction(() => {
      const row = this.latestCheckpoint.get({ docId })
      const checkpoint: Checkpoint | null = row ? { docId, ...row, state: asBytes(row.state), stateVector: asBytes(row.stateVector) } : null
      const tail = this.tailAfter.all({ docId, seq: checkpoint?.seq ?? 0 }).map((r) => asBytes(r.update))
      const lastSeq = this.maxSeq.get({ docId })?.seq ?? 0
      return { checkpoint, tail, lastSeq }
    })
  }

  appendUpdates(records: readonly UpdateRecord[]): void {
    this.db.transaction(() => {
      for (const record of records) {
        this.insertUpdate.run({ ...record, typedAt: record.typedAt ?? null, update: asBuffer(record.update) })
      }
    })
  }

  writeCheckpoint(checkpoint: Checkpoint): void {
    this.insertCheckpoint.run({ ...checkpoint, state: asBuffer(checkpoint.state), stateVector: asBuffer(checkpoint.stateVector) })
  }

  deleteDoc(docId: string): void {
    this.db.transaction(() => {
      this.db.delete(docUpdate).where(eq(docUpdate.docId, docId)).run()
      this.db.delete(docCheckpoint).where(eq(docCheckpoint.docId, docId)).run()
    })
  }

  close(): void {
    this.db.$client.close()
  }
}
