import { AsyncLocalStorage } from 'node:async_hooks'
import { TransactionAbandonedError, TransactionNestingError } from '../errors.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import type { WriteTurns } from './DocStore.js'

/** A transaction while it is open; `abandoned` once shutdown rolled it back under its work. */
interface OpenTransaction {
  abandoned: boolean
}

/** A queued turn: `start` runs it; `refuse` (transactions only) fails it unstarted once the serializer is closed. */
interface Turn {
  start(): void
  refuse: (() => void) | null
}

/** One per connection: every writer on a connection must queue on the same instance. */
const byConnection = new WeakMap<FolioDatabase['$client'], SerialTransactions>()

/**
 * The write turns of one SQLite connection. better-sqlite3 has one connection, so a transaction
 * left open across an await would take in every statement that runs meanwhile: another call's, or
 * the engine's log append (nested as a SAVEPOINT and rolled back with it after the update was
 * broadcast). Here every writer takes a turn, one at a time, in arrival order: `transaction`
 * (BEGIN IMMEDIATE, the awaited work, COMMIT or ROLLBACK) for RPC handlers, `exclusive` (a
 * synchronous job with nothing open around it) for the engine's commits, unloads and deletes.
 * A turn starts at once, in the caller's own turn of the event loop, when none is ahead of it.
 */
export class SerialTransactions implements WriteTurns {
  private readonly queue: Turn[] = []
  private running = false
  private draining = false
  /** Set by the last turn (shutdown): later transactions are refused, later jobs run at once. */
  private closed = false
  private open: OpenTransaction | null = null
  /** The transaction an async call chain runs in, so a turn asked for from inside it is refused instead of waiting for itself. */
  private readonly context = new AsyncLocalStorage<OpenTransaction>()

  private constructor(private readonly client: FolioDatabase['$client']) {}

  /** The serializer of `db`'s connection. */
  static of(db: FolioDatabase): SerialTransactions {
    let serial = byConnection.get(db.$client)
    if (!serial) byConnection.set(db.$client, (serial = new SerialTransactions(db.$client)))
    return serial
  }

  /**
   * Runs `work` in one write transaction after every turn queued before it: committed if it
   * resolves, rolled back if it throws. Refused with TransactionAbandonedError after shutdown.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    this.refuseNesting()
    return new Promise<T>((resolve, reject) =>
      this.enter({
        start: () => void this.runTransaction(work).then(resolve, reject),
        refuse: () => reject(new TransactionAbandonedError()),
      }),
    )
  }

  /** Runs the synchronous `job` after every turn queued before it, with no transaction open around it. */
  exclusive<T>(job: () => T): Promise<T> {
    this.refuseNesting()
    return new Promise<T>((resolve, reject) =>
      this.enter({
        start: () => {
          try {
            resolve(job())
          } catch (error) {
            reject(error)
          } finally {
            this.leave()
          }
        },
        refuse: null,
      }),
    )
  }

  /**
   * The last turn, for shutdown: `exclusive`, but it waits at most `boundMs` for the turns ahead.
   * Past it, the open transaction is rolled back (its call fails with TransactionAbandonedError)
   * and the transactions still queued are refused. Every transaction asked for later is refused.
   */
  async last<T>(job: () => T, boundMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const bound = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), boundMs)))
    const ran = this.exclusive(() => {
      this.closed = true
      return { value: job() }
    })
    let result = await Promise.race([ran, bound])
    clearTimeout(timer)
    if (result === null) {
      this.closed = true
      this.abandonOpen()
      result = await ran
    }
    return result.value
  }

  private refuseNesting(): void {
    const within = this.context.getStore()
    if (within && within === this.open) throw new TransactionNestingError()
  }

  private enter(turn: Turn): void {
    this.queue.push(turn)
    this.drain()
  }

  private leave(): void {
    this.running = false
    this.drain()
  }

  /** Starts queued turns in order; a job ends within its start, a transaction later. */
  private drain(): void {
    if (this.draining) return
    this.draining = true
    while (!this.running && this.queue.length > 0) {
      const turn = this.queue.shift()!
      if (this.closed && turn.refuse) {
        turn.refuse()
        continue
      }
      this.running = true
      turn.start()
    }
    this.draining = false
  }

  private async runTransaction<T>(work: () => Promise<T>): Promise<T> {
    const open: OpenTransaction = { abandoned: false }
    try {
      this.client.exec('BEGIN IMMEDIATE')
      this.open = open
      const value = await this.context.run(open, work)
      if (open.abandoned) throw new TransactionAbandonedError()
      this.client.exec('COMMIT')
      return value
    } catch (error) {
      if (open.abandoned) throw new TransactionAbandonedError()
      if (this.client.inTransaction) this.client.exec('ROLLBACK')
      throw error
    } finally {
      if (!open.abandoned) {
        this.open = null
        this.leave()
      }
    }
  }

  /** Rolls back the open transaction and frees its turn; the work still running under it fails when it ends. */
  private abandonOpen(): void {
    const open = this.open
    if (!open) return
    open.abandoned = true
    this.open = null
    if (this.client.inTransaction) this.client.exec('ROLLBACK')
    this.leave()
  }
}
