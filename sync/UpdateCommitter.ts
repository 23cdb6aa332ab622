import { StoreUnavailableError } from './errors.js'
import type { LiveDoc } from './LiveDoc.js'
import type { Logger } from './Logger.js'
import type { DocStore } from './storage/index.js'
import type { SyncOptions } from './SyncOptions.js'

/**
 * How much client work the current event-loop turn takes in. Connections charge what they apply;
 * once the turn is full they hold their frames (and pause their sockets) until it has ended.
 */
export interface TurnBudget {
  hasRoom(): boolean
  charge(units: number): void
  /** Runs `next` once this turn's updates are stored and broadcast. */
  afterTurn(next: () => void): void
}

/**
 * Group commit: every update applied during one event-loop turn, across all documents, is
 * appended in one transaction at the end of the turn, and only then broadcast. The turn's intake
 * is bounded (`maxStructsPerTurn`, `maxTurnMs`), so a burst is stored and broadcast in slices, and
 * the sockets of other clients are read between them. Held connections go on in this order: those
 * the budget did not reach last turn, then those that were held since, then those it served that
 * still hold more; so a bulk sender cannot starve a client's one frame, nor make it wait a turn
 * behind the sender's next slice. They go on in a callback of their own after the commit, so the
 * event loop reads every socket in between: a frame that arrives then joins the turn that is
 * starting, before the held ones, instead of being held itself behind a full turn.
 * The commit takes a write turn on the store: while an RPC transaction is open it waits for that to
 * end, and the turn (still bounded, its frames held) lasts until then.
 */
export class UpdateCommitter implements TurnBudget {
  private readonly dirty = new Set<LiveDoc>()
  /** Connections held until the turn ends, in arrival order (the unreached of the last turn in front). */
  private readonly waiting: (() => void)[] = []
  /** Connections the end of the last turn served that were held again: they go after `waiting`. */
  private readonly servedAgain: (() => void)[] = []
  /** The end of a turn is letting held connections go on. */
  private resuming = false
  /** Held connections are to go on in the next callback of their own. */
  private resumeScheduled = false
  private charged = 0
  /** The end of the turn is scheduled or waiting for its write turn. */
  private ending = false
  /** When the turn charged its first frame; null while it has charged none. */
  private turnStartedAt: number | null = null

  constructor(
    private readonly store: DocStore,
    private readonly options: SyncOptions,
    private readonly log: Logger,
  ) {}

  /** Queues a document with unstored updates for the commit at the end of this turn. */
  markDirty(doc: LiveDoc): void {
    this.dirty.add(doc)
    this.endTurnSoon()
  }

  /** Drops a document's unstored updates: it is being deleted, and they must not be appended after its rows are gone. */
  forget(doc: LiveDoc): void {
    this.dirty.delete(doc)
  }

  hasRoom(): boolean {
    if (this.charged >= this.options.maxStructsPerTurn) return false
    return this.turnStartedAt === null || performance.now() - this.turnStartedAt < this.options.maxTurnMs
  }

  charge(units: number): void {
    this.turnStartedAt ??= performance.now()
    this.charged += units
    this.endTurnSoon()
  }

  afterTurn(next: () => void): void {
    ;(this.resuming ? this.servedAgain : this.waiting).push(next)
    this.endTurnSoon()
  }

  /**
   * Stores and broadcasts every pending update now; only inside a write turn of the store. If the
   * store refuses them they are dropped (see `LiveDoc.storeFailed`) and StoreUnavailableError is
   * thrown: a failed change never lands later.
   */
  commit(): void {
    if (this.dirty.size === 0) return
    const docs = [...this.dirty]
    this.dirty.clear()
    try {
      this.store.appendUpdates(docs.flatMap((doc) => doc.pendingRecords(Date.now())))
    } catch (error) {
      this.log.error('sync.persist_failed', { docs: docs.length, error: String(error) })
      for (const doc of docs) doc.storeFailed()
      throw new StoreUnavailableError({ cause: error })
    }
    for (const doc of docs) doc.committed()
    for (const doc of docs) {
      if (doc.needsCheckpoint(this.options.checkpointEveryUpdates, this.options.checkpointEveryBytes)) this.checkpoint(doc)
    }
  }

  /** Writes a checkpoint of a fully stored document; a failure only delays it (the log has everything). */
  checkpoint(doc: LiveDoc): void {
    const checkpoint = doc.takeCheckpoint(Date.now())
    if (!checkpoint) return
    try {
      this.store.writeCheckpoint(checkpoint)
      doc.checkpointStored(checkpoint)
    } catch (error) {
      this.log.error('sync.checkpoint_failed', { doc: doc.name, error: String(error) })
    }
  }

  /** Whether `doc` still has updates waiting for a commit. */
  isPending(doc: LiveDoc): boolean {
    return this.dirty.has(doc)
  }

  private endTurnSoon(): void {
    if (this.ending) return
    this.ending = true
    setImmediate(() => void this.store.writeTurns.exclusive(this.endTurn))
  }

  /** Commits, then has the held connections go on next; what they apply then belongs to the next turn. */
  private readonly endTurn = (): void => {
    this.ending = false
    try {
      this.commit()
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error
    }
    this.charged = 0
    this.turnStartedAt = null
    if (this.waiting.length + this.servedAgain.length > 0 && !this.resumeScheduled) {
      this.resumeScheduled = true
      setImmediate(this.resumeHeld)
    }
  }

  private readonly resumeHeld = (): void => {
    this.resumeScheduled = false
    const queue = [...this.waiting.splice(0), ...this.servedAgain.splice(0)]
    this.resuming = true
    try {
      while (queue.length > 0 && this.hasRoom()) queue.shift()!()
    } finally {
      this.resuming = false
    }
    // Those the budget did not reach keep their place ahead of all that are held from now on.
    if (queue.length > 0) {
      this.waiting.unshift(...queue)
      this.endTurnSoon()
    }
  }
}
