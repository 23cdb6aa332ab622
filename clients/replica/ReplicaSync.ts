import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { messageSync, type WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode } from '../../schema/wire/index.js'
import { Emitter } from '../Emitter.js'
import { probeStateVector, storedState } from './acknowledgement.js'
import type { StoredReplica } from './ReplicaStore.js'
import { encodeTimedUpdate } from './timedUpdate.js'

/** How long after the last local update a connected doc asks the server which of its updates it has stored. */
export const acknowledgementProbeDelayMs = 200

/** The transaction origin of a replica's own loading, so loaded updates are not stored again. */
const loading = Symbol('replica loading')

/** A local update made at `typedAt` (ms since the epoch; null: made before replicas kept the time). */
interface LocalUpdate {
  update: Uint8Array
  typedAt: number | null
}

/**
 * Keeps a doc and its stored replica together: every update is stored as it happens (local ones
 * as pending with when they were made, before the edit returns to its caller where storage is
 * synchronous), pending ones are sent as timed updates on every connect, and acknowledged once a
 * sync step 2 from the server shows it holds them.
 */
export class ReplicaSync {
  private readonly pending = new Map<number, LocalUpdate>()
  private readonly events = new Emitter()
  private probeTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  /** The last socket closed with 1013 (try again later): the next one leaves the pending updates to the stock sync. */
  private untimedNext = false

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
    private readonly replica: StoredReplica,
    /** Updates made before the replica was open (an asynchronous store): all local, stored first. */
    earlier: readonly { update: Uint8Array; typedAt: number }[] = [],
  ) {
    Y.transact(doc, () => {
      for (const update of replica.updates) Y.applyUpdate(doc, update, loading)
    }, loading)
    for (const { id, update, typedAt } of replica.pending) this.pending.set(id, { update, typedAt })
    for (const { update, typedAt } of earlier) this.storeLocal(update, typedAt)
    doc.on('update', this.onUpdate)
    provider.on('status', this.onStatus)
    provider.on('connection-close', this.onConnectionClose)
    provider.on('sync', this.onSynced)
    this.readStep2s()
    replica.compact(() => Y.encodeStateAsUpdate(doc))
  }

  /** Local updates the server has not acknowledged yet. */
  get unacknowledged(): number {
    return this.pending.size
  }

  /** Resolves once the server holds every local update made so far. */
  whenAcknowledged(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const off = this.events.on('acknowledged', () => {
        if (this.pending.size > 0) return
        off()
        resolve()
      })
    })
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.probeTimer) clearTimeout(this.probeTimer)
    this.doc.off('update', this.onUpdate)
    this.provider.off('status', this.onStatus)
    this.provider.off('connection-close', this.onConnectionClose)
    this.provider.off('sync', this.onSynced)
    this.events.clear()
    this.replica.close()
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === loading) return
    if (origin === this.provider) this.replica.storeRemote(update)
    else {
      this.storeLocal(update, Date.now())
      this.scheduleProbe()
    }
    this.replica.compact(() => Y.encodeStateAsUpdate(this.doc))
  }

  private storeLocal(update: Uint8Array, typedAt: number): void {
    const { id } = this.replica.storeLocal(update, typedAt)
    this.pending.set(id, { update, typedAt })
  }

  /**
   * y-websocket reports the open socket before it sends its sync step 1, so the pending updates go
   * first, one timed update each, oldest first: the server stores each as its own record with when
   * it was typed. The stock sync that follows then has nothing new for it. An update without a
   * time (kept from before replicas stored one) goes in its place as a plain sync update, timed by
   * its arrival: later ones may build on it, and the server refuses an update whose base it lacks.
   */
  private readonly onStatus = ({ status }: { status: string }): void => {
    const { ws } = this.provider
    if (status !== 'connected' || this.closed || !ws) return
    if (this.untimedNext) return void (this.untimedNext = false)
    for (const { update, typedAt } of this.pending.values()) ws.send(typedAt === null ? syncUpdate(update) : encodeTimedUpdate(typedAt, update))
  }

  /**
   * The server closes with 1013 when an update builds on changes it does not have (its store lost
   * some it had acknowledged, say): sent alone, a timed update would be refused again on every
   * reconnect, where the stock sync sends it together with all it builds on. So after a 1013 one
   * connection goes without timed updates (their edits then keep their arrival time).
   */
  private readonly onConnectionClose = (event: { code: number } | null): void => {
    if (event?.code === CloseCode.tryAgainLater) this.untimedNext = true
  }

  private readonly onSynced = (synced: boolean): void => {
    // The provider sent what the server lacked (its answer to the server's step 1) before this.
    if (synced) this.probe()
  }

  private scheduleProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer)
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null
      this.probe()
    }, acknowledgementProbeDelayMs)
  }

  /** Sends a sync step 1 whose answer shows which pending updates the server has stored. */
  private probe(): void {
    const { ws } = this.provider
    if (this.closed || this.pending.size === 0 || !this.provider.wsconnected || !ws) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1)
    encoding.writeVarUint8Array(encoder, probeStateVector(this.doc, [...this.pending.values()].map((local) => local.update)))
    ws.send(encoding.toUint8Array(encoder))
  }

  /** Reads every sync step 2 the provider receives (before handling it as usual) for acknowledgements. */
  private readStep2s(): void {
    const handle = this.provider.messageHandlers[messageSync]
    if (!handle) throw new Error('y-websocket has no sync message handler')
    this.provider.messageHandlers[messageSync] = (encoder, decoder, provider, emitSynced, messageType) => {
      const peek = decoding.clone(decoder)
      if (!this.closed && this.pending.size > 0 && decoding.readVarUint(peek) === syncProtocol.messageYjsSyncStep2) {
        this.acknowledge(decoding.readVarUint8Array(peek))
      }
      handle(encoder, decoder, provider, emitSynced, messageType)
    }
  }

  private acknowledge(step2: Uint8Array): void {
    const stored = storedState(step2)
    const ids = [...this.pending].filter(([, local]) => stored(local.update)).map(([id]) => id)
    if (ids.length === 0) return
    this.replica.acknowledge(ids)
    for (const id of ids) this.pending.delete(id)
    this.replica.compact(() => Y.encodeStateAsUpdate(this.doc))
    this.events.emit('acknowledged', ids.length)
  }
}

/** A stock sync update frame, as y-websocket sends a local edit. */
function syncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}
