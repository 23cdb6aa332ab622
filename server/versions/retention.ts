import { documentDocName } from '../../schema/index.js'
import { documentVersion, type FolioDatabase } from '../../schema/db/index.js'
import { type DocHistory, type Logger, SerialTransactions } from '../../sync/index.js'

const day = 24 * 3600 * 1000

/** What one retention run trimmed. */
export interface RetentionRun {
  docs: number
  updates: number
  checkpoints: number
}

/** The log retention job: trims every document's log to the last `retentionDays` days. */
export interface LogRetention {
  /** Runs a trim now (or joins the one running). */
  run(): Promise<RetentionRun>
  /** Stops the schedule and waits for a running trim to finish its current document. */
  stop(): Promise<void>
}

/**
 * Trims the update log at start and then daily (`FOLIO_LOG_RETENTION_DAYS`). Each document is
 * trimmed in its own transaction (DocHistory.trim: checkpoint at the cut, then delete below it),
 * one per event-loop turn so live traffic is not held up. States of named versions are kept as
 * checkpoints, so a version can still be restored after its history is gone.
 */
export function startLogRetention(options: { db: FolioDatabase; history: DocHistory; retentionDays: number; log: Logger; intervalMs?: number }): LogRetention {
  const { db, history, retentionDays, log } = options
  let stopped = false
  let running: Promise<RetentionRun> | null = null

  const trimAll = async (): Promise<RetentionRun> => {
    const before = Date.now() - retentionDays * day
    const keep = await versionSeqsByDoc(db)
    const turns = SerialTransactions.of(db)
    const result: RetentionRun = { docs: 0, updates: 0, checkpoints: 0 }
    for (const docId of history.docsWithUpdatesBefore(before)) {
      if (stopped) break
      try {
        // A write turn of its own, so the trim never runs inside an RPC's open transaction.
        const trimmed = await turns.exclusive(() => history.trim(docId, before, keep.get(docId) ?? []))
        if (trimmed) {
          result.docs++
          result.updates += trimmed.updates
          result.checkpoints += trimmed.checkpoints
        }
      } catch (error) {
        // The transaction rolled back: this document keeps its whole log until the next run.
        log.error('history.trim_failed', { doc: docId, error: String(error) })
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    log.info('history.trimmed', { before: new Date(before).toISOString(), ...result })
    return result
  }
  const run = (): Promise<RetentionRun> =>
    (running ??= trimAll()
      .catch((error: unknown) => {
        // E.g. the database went away; the next run tries again.
        log.error('history.trim_failed', { error: String(error) })
        return { docs: 0, updates: 0, checkpoints: 0 }
      })
      .finally(() => {
        running = null
      }))

  const timer = setInterval(() => void run(), options.intervalMs ?? day)
  timer.unref()
  void run()
  return {
    run,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}

/** Seqs of named versions by content doc name: their states survive trimming as checkpoints. */
async function versionSeqsByDoc(db: FolioDatabase): Promise<Map<string, number[]>> {
  const seqs = new Map<string, number[]>()
  for (const { documentId, seq } of await db.select({ documentId: documentVersion.documentId, seq: documentVersion.seq }).from(documentVersion)) {
    const docName = documentDocName(documentId)
    seqs.set(docName, [...(seqs.get(docName) ?? []), seq])
  }
  return seqs
}
