import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { UpdateContext } from '../schema/index.js'
import { DocLog, type PendingUpdate } from './DocLog.js'
import { CloseCode, DocLoadError, ProtocolError } from './errors.js'
import { type DocHooks, type DocHooksFactory, PresenceGuard } from './guards/index.js'
import { mergeUpdates } from './mergeUpdates.js'
import { type ClientStart, encodeAwarenessMessage, encodeSyncUpdate } from './protocol/index.js'
import { findReusedClock } from './reusedClocks.js'
import { findMisplacedItem } from './rightOrigins.js'
import type { Checkpoint, StoredDoc, UpdateRecord } from './storage/index.js'
import { applyStoredState, encodeIntegratedState } from './storedState.js'
import { ClientWriter, ServerWriter, writerOf } from './writers.js'

/** Anything that receives a document's broadcasts: a client connection. */
export interface Peer {
  send(message: Uint8Array): void
  close(code: number, reason: string): void
}

/** What a live document needs from the registry that holds it. */
export interface DocEnvironment {
  gc: boolean
  /** Reads the document's stored state again (throws if the store cannot). */
  load(name: string): StoredDoc
  /** The document has its first unstored update of the turn. */
  onDirty(doc: LiveDoc): void
  /** The document could not be rebuilt from the store and must be dropped. */
  onBroken(doc: LiveDoc, cause: unknown): void
  hooksFor: DocHooksFactory
}

/** The origin of unstored updates re-applied to a rebuilt document: already checked when they first came in. */
const replayOrigin = new ServerWriter(null)

const misplacedItemReason = 'invalid payload: an item does not lie between the origin and right origin it names'

const missingDependencyReason = 'the update depends on changes this document does not have; reconnect and sync again'

const notStoredReason = 'your changes could not be stored; your client keeps them and sends them again when it reconnects'

/**
 * A loaded document: its Y.Doc, awareness and peers, and the updates applied since the last
 * commit. Between event-loop turns the Y.Doc is exactly the stored state: updates reach peers only
 * after they are stored, replies built from the doc wait for the commit, an update that fails to
 * apply is taken out again, and updates the store refused are dropped.
 */
export class LiveDoc {
  private current: Y.Doc
  readonly awareness: Awareness
  readonly peers = new Set<Peer>()
  readonly presence: PresenceGuard
  unloadTimer: NodeJS.Timeout | null = null
  private readonly log: DocLog
  private hooks: DocHooks[] = []
  /** Replies built from the doc, waiting until it holds only stored state. */
  private readonly untilStored: (() => void)[] = []
  /** The client update being applied and the typing time its log record gets. */
  private applying: { origin: unknown; typedAt: number | null } | null = null

  /** Builds the document from its latest checkpoint plus the log tail after it. Throws DocLoadError. */
  constructor(
    readonly name: string,
    stored: StoredDoc,
    private readonly env: DocEnvironment,
  ) {
    this.current = buildDoc(name, stored, env.gc)
    this.log = new DocLog(name, stored)
    this.awareness = new Awareness(this.current)
    this.awareness.setLocalState(null)
    this.presence = new PresenceGuard(this.awareness)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.attach([])
  }

  get doc(): Y.Doc {
    return this.current
  }

  /** Whether updates are waiting to be stored. */
  get isDirty(): boolean {
    return this.log.isDirty
  }

  get pendingCount(): number {
    return this.log.pendingCount
  }

  /** Runs `reply` once the doc holds nothing unstored: now, or right after this turn's commit. */
  whenStored(reply: () => void): void {
    if (this.log.isDirty) this.untilStored.push(reply)
    else reply()
  }

  /**
   * Applies a client's update as a whole or not at all. Refused, with a ProtocolError:
   * - an update that re-sends clocks the doc holds with other neighbours, before it is applied
   *   (Yjs would file it where its log cannot follow);
   * - one that Yjs throws on part-way (1007);
   * - one that depends on structs the doc does not have (1013). Yjs would keep what waits for
   *   them in memory only, outside the log, and merging later updates into that waiting part can
   *   hang the process; the client keeps its edits, and its next sync sends them together with
   *   whatever they depend on that it holds.
   * What a refused update had integrated (and any repair a hook made of it) is taken out by
   * rebuilding the doc from the store plus the turn's other updates. `typedAt` (already bounded)
   * goes into the update's log record; a guard's repair of it is the server's and gets none.
   */
  applyClientUpdate(update: Uint8Array, starts: readonly ClientStart[], origin: Peer & ClientWriter, typedAt: number | null = null): void {
    const reused = findReusedClock(this.current, update, starts)
    if (reused) {
      throw new ProtocolError(
        CloseCode.invalidPayload,
        `invalid payload: client ${reused.client} at clock ${reused.clock} is another struct here; do not reuse a Yjs client id`,
      )
    }
    const before = this.log.pendingCount
    let refusal: ProtocolError | null = null
    this.applying = { origin, typedAt }
    try {
      const transaction = applyInOneTransaction(this.current, update, origin)
      const { pendingStructs, pendingDs } = this.current.store
      if (pendingStructs || pendingDs) refusal = new ProtocolError(CloseCode.tryAgainLater, missingDependencyReason)
      else if (transaction && findMisplacedItem(this.current, transaction.beforeState, transaction.afterState)) {
        refusal = new ProtocolError(CloseCode.invalidPayload, misplacedItemReason)
      }
    } catch {
      refusal = new ProtocolError(CloseCode.invalidPayload, 'invalid payload: the update failed to apply, and none of it was kept')
    } finally {
      this.applying = null
    }
    if (!refusal) return
    this.log.discard(before)
    this.rebuild()
    throw refusal
  }

  /** Log records for the updates not yet stored, each with the context the hooks give its writer (the last hook that gives one). */
  pendingRecords(createdAt: number): UpdateRecord[] {
    const contexts = new Map<string | null, string | null>()
    return this.log.records(createdAt, (userId) => {
      if (contexts.has(userId)) return contexts.get(userId)!
      let context: UpdateContext | null = null
      for (const hook of this.hooks) context = hook.recordContext?.(userId) ?? context
      const json = context && JSON.stringify(context)
      contexts.set(userId, json)
      return json
    })
  }

  /** The records last returned by `pendingRecords` are stored: broadcast them and send the waiting replies. */
  committed(): void {
    this.broadcastUpdates(this.log.stored())
    for (const hook of this.hooks) hook.committed?.()
    this.sendWaitingReplies()
  }

  /**
   * The store refused the records last returned by `pendingRecords`: they are dropped, the doc
   * goes back to the stored state, and the clients that sent them are closed with 1013 (they keep
   * their edits and send them again on reconnect). A server-side writer learns it from the commit.
   */
  storeFailed(): void {
    const writers = new Set(this.log.discard().map((p) => p.origin))
    if (!this.rebuild()) return
    for (const peer of [...this.peers]) if (writers.has(peer)) peer.close(CloseCode.tryAgainLater, notStoredReason)
    this.sendWaitingReplies()
  }

  /** Whether the log tail has grown past either checkpoint threshold. */
  needsCheckpoint(everyUpdates: number, everyBytes: number): boolean {
    return this.log.needsCheckpoint(everyUpdates, everyBytes)
  }

  /** A checkpoint of the stored state, or null when it would add nothing (or state is unstored). */
  takeCheckpoint(createdAt: number): Checkpoint | null {
    return this.log.checkpoint(() => ({ state: encodeIntegratedState(this.current), stateVector: Y.encodeStateVector(this.current) }), createdAt)
  }

  checkpointStored(checkpoint: Checkpoint): void {
    this.log.checkpointStored(checkpoint)
  }

  /** Full awareness state of every client, as one message. */
  encodeAllAwareness(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()]
    return clients.length === 0 ? null : encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, clients))
  }

  destroy(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer)
    this.untilStored.length = 0
    this.awareness.destroy()
    this.current.destroy()
  }

  /**
   * Attaches fresh server hooks to the current Y.Doc, re-applies `kept` (unstored updates already
   * checked when they first came in, so as trusted changes) and starts recording its updates.
   */
  private attach(kept: readonly PendingUpdate[]): void {
    const doc = this.current
    this.hooks = this.env.hooksFor(this.name, doc)
    if (this.hooks.some((hook) => hook.afterTransaction)) doc.on('afterTransaction', this.onAfterTransaction)
    for (const update of kept) Y.applyUpdate(doc, update.update, replayOrigin)
    doc.on('update', this.onUpdate)
  }

  /**
   * Replaces the Y.Doc by one built from the store plus the unstored updates still kept, with
   * fresh hooks. Returns false when the store cannot be read: the document is then dropped.
   * The old doc is left to the garbage collector, not destroyed: destroying it would end the awareness.
   */
  private rebuild(): boolean {
    let doc: Y.Doc
    try {
      doc = buildDoc(this.name, this.env.load(this.name), this.env.gc)
    } catch (cause) {
      this.env.onBroken(this, cause)
      return false
    }
    this.current.off('update', this.onUpdate)
    this.current.off('afterTransaction', this.onAfterTransaction)
    this.current = doc
    this.attach(this.log.unstored)
    return true
  }

  private sendWaitingReplies(): void {
    for (const reply of this.untilStored.splice(0)) reply()
  }

  private readonly onAfterTransaction = (transaction: Y.Transaction): void => {
    const writer = transaction.origin instanceof ClientWriter ? transaction.origin : null
    for (const hook of this.hooks) hook.afterTransaction?.(transaction, writer)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    const writer = writerOf(origin)
    const applying = this.applying
    const typedAt = applying && applying.origin === origin ? applying.typedAt : null
    this.log.add({ update, origin, clientId: authorOf(transaction, () => writer?.clientIdHint ?? null), userId: writer?.userId ?? null, typedAt })
    if (this.log.pendingCount === 1) this.env.onDirty(this)
  }

  /** One merged message per commit, encoded once; the sole originator does not get its own edits back. */
  private broadcastUpdates(updates: PendingUpdate[]): void {
    const first = updates[0]
    if (!first) return
    const message = encodeSyncUpdate(mergeUpdates(updates.map((p) => p.update)))
    const soleOrigin = updates.every((p) => p.origin === first.origin) ? first.origin : undefined
    for (const peer of this.peers) {
      if (peer !== soleOrigin) peer.send(message)
    }
  }

  private readonly onAwarenessUpdate = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const clients = [...change.added, ...change.updated, ...change.removed]
    const message = encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, clients))
    for (const peer of this.peers) {
      if (peer !== origin) peer.send(message)
    }
  }
}

/** Applies `update` and returns the transaction Yjs applied it in (null if it changed nothing). */
function applyInOneTransaction(doc: Y.Doc, update: Uint8Array, origin: unknown): Y.Transaction | null {
  const seen: Y.Transaction[] = []
  const record = (transaction: Y.Transaction): void => void seen.push(transaction)
  doc.on('afterTransaction', record)
  try {
    Y.applyUpdate(doc, update, origin)
  } finally {
    doc.off('afterTransaction', record)
  }
  return seen[0] ?? null
}

function buildDoc(name: string, stored: StoredDoc, gc: boolean): Y.Doc {
  const doc = new Y.Doc({ gc })
  try {
    applyStoredState(doc, stored.checkpoint?.state ?? null, stored.tail)
  } catch (cause) {
    doc.destroy()
    throw new DocLoadError(name, { cause })
  }
  return doc
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
