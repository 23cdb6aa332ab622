import Database from 'better-sqlite3'
import { typingFrames } from './edits.js'
import { fanoutReaders } from './fanout.js'
import type { BenchServer } from './servers.js'
import { openFanoutSession } from './session.js'

/** Edits sent but not yet at every reader; bounds the server's queues so it is measured, not flooded. */
export const throughputWindow = 1_000
/** Frames sent per event-loop turn, so replies keep being read while the writer sends. */
const sendBurst = 100
const drainTimeoutMs = 60_000

export interface ThroughputResult {
  edits: number
  elapsedMs: number
  deliveredPerSec: number
  /** Rows Folio stored for the doc per second of the run; null for the reference. */
  persistedPerSec: number | null
  persistedRows: number | null
}

/** Sends `edits` as fast as the server delivers them to all readers, within the in-flight window. */
export async function measureThroughput(server: BenchServer, docName: string, edits: number): Promise<ThroughputResult> {
  const frames = typingFrames(edits)
  const session = await openFanoutSession(server, docName, fanoutReaders, edits)
  const { tracker, writer } = session
  let elapsedMs: number
  try {
    let sent = 0
    let scheduled = false
    let fail: (error: unknown) => void = () => {}
    const failed = new Promise<never>((_, reject) => (fail = reject))
    const pump = (): void => {
      scheduled = false
      try {
        const limit = Math.min(edits, tracker.delivered + throughputWindow, sent + sendBurst)
        for (; sent < limit; sent++) writer.send(frames[sent] as Uint8Array)
        if (sent < Math.min(edits, tracker.delivered + throughputWindow)) schedule()
      } catch (error) {
        fail(error)
      }
    }
    const schedule = (): void => {
      if (scheduled || sent === edits) return
      scheduled = true
      setImmediate(pump)
    }
    const unsubscribe = tracker.onProgress(schedule)
    const start = performance.now()
    pump()
    await Promise.race([tracker.whenAllDelivered(drainTimeoutMs), failed])
    elapsedMs = performance.now() - start
    unsubscribe()
  } finally {
    await session.close()
  }
  const persistedRows = server.dbPath === null ? null : countStoredUpdates(server.dbPath, docName)
  return {
    edits,
    elapsedMs,
    deliveredPerSec: edits / (elapsedMs / 1000),
    persistedRows,
    persistedPerSec: persistedRows === null ? null : persistedRows / (elapsedMs / 1000),
  }
}

/** Folio stores before it broadcasts, so once every reader has every edit, every row is in the log. */
export function countStoredUpdates(dbPath: string, docName: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const row = db.prepare('SELECT count(*) AS rows FROM doc_update WHERE doc_id = ?').get(docName) as { rows: number }
    return row.rows
  } finally {
    db.close()
  }
}
