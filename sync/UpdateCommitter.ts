import type { LiveDoc } from './LiveDoc.js'
import type { Logger } from './Logger.js'
import type { DocStore } from './storage/index.js'
import type { SyncOptions } from './SyncOptions.js'

/**
 * Group commit: every update applied during one event-loop turn, across all documents, is
 * appended in one transaction at the end of the turn, and only then broadcast.
 */
export class UpdateCommitter {
  private readonly dirty = new Set<LiveDoc>()
  private scheduled: NodeJS.Immediate | null = null
  private retry: NodeJS.Timeout | null = null

  constructor(
    private readonly store: DocStore,
    private readonly options: SyncOptions,
    private readonly log: Logger,
  ) {}

  /** Queues a document with unstored updates for the commit at the end of this turn. */
  markDirty(doc: LiveDoc): void {
    this.dirty.add(doc)
    // While a failed write waits for its retry, new updates wait with it instead of hammering the store.
    if (!this.scheduled && !this.retry) this.scheduled = setImmediate(this.commit)
  }

  /** Drops a document's unstored updates: it is being deleted, and they must not be appended after its rows are gone. */
  forget(doc: LiveDoc): void {
    this.dirty.delete(doc)
  }

  /** Stores and broadcasts every pending update now. Returns false if the store failed (a retry is scheduled). */
  readonly commit = (): boolean => {
    if (this.scheduled) clearImmediate(this.scheduled)
    if (this.retry) clearTimeout(this.retry)
    this.scheduled = this.retry = null
    if (this.dirty.size === 0) return true
    const docs = [...this.dirty]
    const now = Date.now()
    try {
      this.store.appendUpdates(docs.flatMap((doc) => doc.pendingRecords(now)))
    } catch (error) {
      // Nothing was stored and nothing broadcast; the updates stay pending for the retry.
      this.log.error('sync.persist_failed', { docs: docs.length, error: String(error) })
      this.retry = setTimeout(this.commit, this.options.persistRetryMs)
      return false
    }
    this.dirty.clear()
    for (const doc of docs) doc.committed()
    for (const doc of docs) {
      if (doc.needsCheckpoint(this.options.checkpointEveryUpdates, this.options.checkpointEveryBytes)) this.checkpoint(doc)
    }
    return true
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
}
