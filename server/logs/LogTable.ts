import { log, type FolioDatabase } from '../../schema/db/index.js'
import { maxLogMessageLength } from '../../schema/index.js'
import { SerialTransactions } from '../../sync/index.js'

type LogRow = typeof log.$inferInsert

/** Rows one flush writes at most: one short write turn each. */
const batchSize = 100
/** Entries kept while the database is busy or failing; older ones are dropped past it, so a flood cannot eat the memory. */
const maxQueued = 10_000

/**
 * The `log` table as a destination of JSON log lines (pino's, server and client alike). A line is
 * only queued when it is written, so logging never writes inside someone's open transaction nor
 * waits for one; the queue is stored in batches, each in a write turn of its own, every `flushMs`
 * or as soon as a batch is full, and at `close`. Lines come redacted by the logger.
 */
export class LogTable {
  private readonly queue: LogRow[] = []
  private db: FolioDatabase | null = null
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()
  private dropped = 0
  private closed = false

  constructor(private readonly flushMs: number) {}

  /** A writer of log lines from `service` (`server`, `client`), for a pino destination. */
  lineWriter(service: string): { write(line: string): void } {
    return { write: (line) => this.take(service, line) }
  }

  /** Starts storing: lines written before the database was open are stored with the first flush. */
  attach(db: FolioDatabase): void {
    this.db = db
    this.schedule()
  }

  /** Stores every queued line; later lines are dropped. */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.queue.length > 0 && this.db) await this.flush()
  }

  /** Stores what is queued now, a batch at a time, after any flush already running. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const db = this.db
      if (this.dropped > 0) {
        this.queue.push({ level: 'warn', message: 'log.dropped', service: 'server', meta: { count: this.dropped }, userId: null, timestamp: new Date() })
        this.dropped = 0
      }
      while (db && this.queue.length > 0) {
        const batch = this.queue.splice(0, batchSize)
        try {
          await SerialTransactions.of(db).transaction(async () => {
            await db.insert(log).values(batch)
          })
        } catch (error) {
          // Not through the logger: its lines would come back here.
          process.stderr.write(`Folio could not store ${batch.length} log lines: ${String(error)}\n`)
          return
        }
      }
    })
    return this.flushing
  }

  private take(service: string, line: string): void {
    if (this.closed) return
    const { level, time, event, ...fields } = JSON.parse(line) as Record<string, unknown>
    const userId = typeof fields.userId === 'number' ? fields.userId : null
    if (this.queue.length >= maxQueued) {
      this.queue.shift()
      this.dropped++
    }
    const meta = Object.keys(fields).length > 0 ? fields : null
    this.queue.push({ level: String(level), message: String(event).slice(0, maxLogMessageLength), service, meta, userId, timestamp: new Date(String(time)) })
    if (this.queue.length >= batchSize) void this.flush()
    else this.schedule()
  }

  private schedule(): void {
    if (this.timer || !this.db || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, this.flushMs)
    this.timer.unref()
  }
}
