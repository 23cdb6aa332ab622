import { CloseCode, StoreUnavailableError } from './errors.js'
import { type DocEnvironment, LiveDoc } from './LiveDoc.js'
import type { DocHooksFactory } from './guards/index.js'
import type { Logger } from './Logger.js'
import type { DocStore } from './storage/index.js'
import type { SyncOptions } from './SyncOptions.js'
import { UpdateCommitter } from './UpdateCommitter.js'

/**
 * The loaded documents: loads one on first use (synchronously, so no client can ever see a
 * half-loaded doc), and stores, checkpoints and unloads it a grace period after its last peer leaves.
 */
export class DocRegistry {
  private readonly docs = new Map<string, LiveDoc>()
  readonly committer: UpdateCommitter
  private readonly env: DocEnvironment

  constructor(
    private readonly store: DocStore,
    private readonly options: SyncOptions,
    private readonly log: Logger,
    hooksFor: DocHooksFactory,
  ) {
    this.committer = new UpdateCommitter(store, options, log)
    this.env = {
      gc: options.gc,
      load: (name) => store.load(name),
      onDirty: (dirty) => this.committer.markDirty(dirty),
      onBroken: (broken, cause) => this.evict(broken, cause),
      hooksFor,
    }
  }

  /** The live document, loading it from the store if needed. Throws DocLoadError. */
  acquire(name: string): LiveDoc {
    const loaded = this.docs.get(name)
    if (loaded) {
      if (loaded.unloadTimer) clearTimeout(loaded.unloadTimer)
      loaded.unloadTimer = null
      return loaded
    }
    const doc = new LiveDoc(name, this.store.load(name), this.env)
    this.docs.set(name, doc)
    this.log.debug('sync.doc_loaded', { doc: name })
    return doc
  }

  /** A peer left `doc`; unload it after the grace period, in a write turn, if nobody else is there by then. */
  release(doc: LiveDoc): void {
    if (doc.peers.size > 0 || doc.unloadTimer || this.docs.get(doc.name) !== doc) return
    doc.unloadTimer = setTimeout(() => {
      doc.unloadTimer = null
      void this.store.writeTurns.exclusive(() => {
        if (doc.peers.size === 0 && !doc.unloadTimer) this.unload(doc)
      })
    }, this.options.unloadGraceMs)
  }

  /** The loaded document called `name`, if any. */
  get(name: string): LiveDoc | undefined {
    return this.docs.get(name)
  }

  get loadedCount(): number {
    return this.docs.size
  }

  /** Updates applied to loaded documents and not yet stored. */
  get unstoredCount(): number {
    let count = 0
    for (const doc of this.docs.values()) count += doc.pendingCount
    return count
  }

  /**
   * Deletes the document: removes its log and checkpoints, then drops it from memory with its
   * unstored updates (never appended afterwards). The caller has closed its connections and holds
   * a write turn. Throws if the store fails, leaving the document as it was.
   */
  delete(name: string): void {
    this.store.deleteDoc(name)
    const doc = this.docs.get(name)
    if (doc) {
      if (doc.unloadTimer) clearTimeout(doc.unloadTimer)
      this.committer.forget(doc)
      doc.destroy()
      this.docs.delete(name)
    }
    this.log.info('sync.doc_deleted', { doc: name })
  }

  /** Stores, checkpoints and drops every document, in the caller's write turn; for shutdown. Updates the store refuses are dropped (their clients keep them). */
  unloadAll(): void {
    for (const doc of [...this.docs.values()]) this.unload(doc)
  }

  /**
   * Drops a document whose live state could not be rebuilt from the store: its connections close
   * with 1013 and its unstored updates are forgotten (their clients still hold them).
   */
  private evict(doc: LiveDoc, cause: unknown): void {
    this.log.error('sync.doc_evicted', { doc: doc.name, error: String(cause) })
    this.committer.forget(doc)
    this.docs.delete(doc.name)
    for (const peer of [...doc.peers]) peer.close(CloseCode.tryAgainLater, 'the document could not be read back from storage; reconnect later')
    doc.destroy()
  }

  private unload(doc: LiveDoc): void {
    if (this.committer.isPending(doc)) {
      try {
        this.committer.commit()
      } catch (error) {
        // Refused updates were dropped; the doc now holds only stored state and unloads as usual.
        if (!(error instanceof StoreUnavailableError)) throw error
      }
    }
    if (this.docs.get(doc.name) !== doc) return
    // A checkpoint on unload makes the next cold load one state read, with no log replay.
    this.committer.checkpoint(doc)
    doc.destroy()
    this.docs.delete(doc.name)
    this.log.debug('sync.doc_unloaded', { doc: doc.name })
  }
}
