import { and, eq, inArray } from 'drizzle-orm'
import { type FolioDatabase, statistic, user } from '../../schema/db/index.js'
import { type Logger, SerialTransactions, TransactionAbandonedError } from '../../sync/index.js'
import type { EventHub } from '../events/index.js'

type StatisticRow = typeof statistic.$inferInsert

/** How the recorder batches: store once `batchSize` entries wait, or `flushMs` after the first one. */
export interface StatsOptions {
  batchSize: number
  flushMs: number
}

/**
 * Usage statistics, recorded only for users who accept them (`acceptStats`, read at each call, so
 * withdrawing consent stops recording at once; entries still waiting are dropped at the flush).
 * Entries wait in memory and are stored in one write turn per batch: when a batch is full, after
 * `flushMs`, when an events socket closes, and at `close` (server stop), which refuses later
 * entries with 503, so none is answered as recorded and then lost.
 */
export class StatsRecorder {
  private queue: StatisticRow[] = []
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly db: FolioDatabase,
    hub: EventHub,
    private readonly options: StatsOptions,
    private readonly log: Logger,
  ) {
    hub.onClose(() => void this.flush())
  }

  /** Queues one entry of `userId`; false when the user does not accept statistics (nothing is kept). */
  async record(userId: number, session: string | null, action: string, data: unknown): Promise<boolean> {
    if (this.closed) throw new TransactionAbandonedError()
    const [row] = await this.db.select({ acceptStats: user.acceptStats }).from(user).where(eq(user.id, userId)).limit(1)
    if (!row?.acceptStats) return false
    this.queue.push({ action, data: data ?? null, userId, session, timestamp: new Date() })
    if (this.queue.length >= this.options.batchSize) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs).unref()
    return true
  }

  /** Stores every waiting entry of a user who still accepts statistics, after any flush already running. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.flushing = this.flushing.then(async () => {
      const batch = this.queue
      this.queue = []
      if (batch.length === 0) return
      try {
        await SerialTransactions.of(this.db).transaction(async () => {
          const userIds = [...new Set(batch.map((entry) => entry.userId))]
          const consenting = await this.db
            .select({ id: user.id })
            .from(user)
            .where(and(inArray(user.id, userIds), eq(user.acceptStats, true)))
          const kept = batch.filter((entry) => consenting.some((row) => row.id === entry.userId))
          if (kept.length > 0) await this.db.insert(statistic).values(kept)
        })
      } catch (error) {
        // Kept for the next flush: a busy or full disk loses no entry that was answered as recorded.
        this.queue.unshift(...batch)
        this.log.error('stats.flush_failed', { entries: batch.length, error: String(error) })
      }
    })
    return this.flushing
  }

  /** Stores what waits and refuses later entries: the last step before the database closes. */
  async close(): Promise<void> {
    this.closed = true
    await this.flush()
  }
}
