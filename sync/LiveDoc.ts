import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DocLoadError } from './errors.js'
import { applyStoredState } from './storedState.js'
import type { DocHooks, DocHooksFactory, GuardedWriter } from './guards/index.js'
import { encodeAwarenessMessage, encodeSyncUpdate } from './protocol/index.js'
import type { Checkpoint, StoredDoc, UpdateRecord } from './storage/index.js'

/** Anything that receives a document's broadcasts: a client connection. */
export interface Peer {
  send(message: Uint8Array): void
}

/** Who caused an update; a Connection, or a server-side writer. */
export interface UpdateOrigin {
  readonly userId: string | null
  /** The Yjs client id the writer is known by, used when the update itself does not tell. */
  readonly clientIdHint: number | null
}

interface PendingUpdate {
  update: Uint8Array
  origin: unknown
  clientId: number | null
  userId: string | null
}

/**
 * A loaded document: its Y.Doc, awareness and peers, and the updates applied since the last
 * commit. Updates reach peers only after `committed()`, i.e. after they are stored.
 */
export class LiveDoc {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly peers = new Set<Peer>()
  /**
   * Who presents each awareness client: the principal that first did (kept a while after the
   * client leaves, so nobody else can take over its id) and the peer presenting it now.
   */
  readonly presence = new Map<number, { principal: string; presenter: Peer | null; releasedAt: number }>()
  unloadTimer: NodeJS.Timeout | null = null
  private pending: PendingUpdate[] = []
  private readonly hooks: DocHooks[]
  private lastSeq: number
  private checkpointSeq: number
  private bytesSinceCheckpoint = 0

  /** Builds the document from its latest checkpoint plus the log tail after it. */
  constructor(
    readonly name: string,
    stored: StoredDoc,
    gc: boolean,
    private readonly onDirty: (doc: LiveDoc) => void,
    hooksFor: DocHooksFactory = () => [],
  ) {
    this.doc = new Y.Doc({ gc })
    try {
      applyStoredState(this.doc, stored.checkpoint?.state ?? null, stored.tail)
    } catch (cause) {
      this.doc.destroy()
      throw new DocLoadError(name, { cause })
    }
    this.lastSeq = stored.lastSeq
    this.checkpointSeq = stored.checkpoint?.seq ?? 0
    for (const update of stored.tail) this.bytesSinceCheckpoint += update.byteLength
    this.awareness = new Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.doc.on('update', this.onUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.hooks = hooksFor(name, this.doc)
    if (this.hooks.some((hook) => hook.afterTransaction)) {
      this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
        const writer = clientWriterOf(transaction.origin)
        for (const hook of this.hooks) hook.afterTransaction?.(transaction, writer)
      })
    }
  }

  /** Whether updates are waiting to be stored. */
  get isDirty(): boolean {
    return this.pending.length > 0
  }

  /** Log records for the updates not yet stored, numbered after the last stored seq. */
  pendingRecords(createdAt: number): UpdateRecord[] {
    return this.pending.map((p, i) => ({
      docId: this.name,
      seq: this.lastSeq + i + 1,
      update: p.update,
      clientId: p.clientId,
      userId: p.userId,
      createdAt,
    }))
  }

  /** The records last returned by `pendingRecords` are stored: advance and broadcast them. */
  committed(): void {
    const updates = this.pending
    this.pending = []
    this.lastSeq += updates.length
    for (const p of updates) this.bytesSinceCheckpoint += p.update.byteLength
    this.broadcastUpdates(updates)
    for (const hook of this.hooks) hook.committed?.()
  }

  /** Whether the log tail has grown past either checkpoint threshold. */
  needsCheckpoint(everyUpdates: number, everyBytes: number): boolean {
    return this.lastSeq - this.checkpointSeq >= everyUpdates || this.bytesSinceCheckpoint >= everyBytes
  }

  /** A checkpoint of the stored state, or null when it would add nothing (or state is unstored). */
  takeCheckpoint(createdAt: number): Checkpoint | null {
    if (this.isDirty || this.lastSeq === this.checkpointSeq) return null
    return {
      docId: this.name,
      seq: this.lastSeq,
      state: Y.encodeStateAsUpdate(this.doc),
      stateVector: Y.encodeStateVector(this.doc),
      createdAt,
    }
  }

  /** The checkpoint from `takeCheckpoint` is stored. */
  checkpointStored(checkpoint: Checkpoint): void {
    this.checkpointSeq = checkpoint.seq
    this.bytesSinceCheckpoint = 0
  }

  /** Full awareness state of every client, as one message. */
  encodeAllAwareness(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()]
    return clients.length === 0 ? null : encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, clients))
  }

  destroy(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer)
    this.awareness.destroy()
    this.doc.destroy()
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    const writer = isUpdateOrigin(origin) ? origin : null
    this.pending.push({
      update,
      origin,
      clientId: authorOf(transaction, () => writer?.clientIdHint ?? null),
      userId: writer?.userId ?? null,
    })
    if (this.pending.length === 1) this.onDirty(this)
  }

  /** One merged message per commit, encoded once; the sole originator does not get its own edits back. */
  private broadcastUpdates(updates: PendingUpdate[]): void {
    const first = updates[0]
    if (!first) return
    const merged = updates.length === 1 ? first.update : Y.mergeUpdates(updates.map((p) => p.update))
    const message = encodeSyncUpdate(merged)
    const soleOrigin = updates.every((p) => p.origin === first.origin) ? first.origin : undefined
    for (const peer of this.peers) {
      if (peer !== soleOrigin) peer.send(message)
    }
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const clients = [...change.added, ...change.updated, ...change.removed]
    const message = encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, clients))
    for (const peer of this.peers) {
      if (peer !== origin) peer.send(message)
    }
  }
}

/** The client connection behind a transaction, if a client's update made it (server-side changes are trusted). */
function clientWriterOf(origin: unknown): GuardedWriter | null {
  return typeof origin === 'object' && origin !== null && 'privileged' in origin ? (origin as GuardedWriter) : null
}

function isUpdateOrigin(origin: unknown): origin is UpdateOrigin {
  return typeof origin === 'object' && origin !== null && 'userId' in origin && 'clientIdHint' in origin
}

/**
 * The Yjs client whose clock the transaction advanced, if exactly one did; null for a merge of
 * several clients' edits. A delete-only update names no author, so the writer's hint stands in.
 */
function authorOf(transaction: Y.Transaction, hint: () => number | null): number | null {
  let author: number | undefined
  for (const [client, clock] of transaction.afterState) {
    if ((transaction.beforeState.get(client) ?? 0) === clock) continue
    if (author !== undefined) return null
    author = client
  }
  // The hint is only needed for delete-only updates; asking for it costs a look through the doc's presence.
  return author ?? hint()
}
