import { randomUUID } from 'node:crypto'
import type { AccessLevel, ConnectionGrant, Recheck } from './access.js'
import { CloseCode, ProtocolError } from './errors.js'
import type { LiveDoc, Peer } from './LiveDoc.js'
import type { Logger } from './Logger.js'
import { TokenBucket } from './TokenBucket.js'
import type { TurnBudget } from './UpdateCommitter.js'
import { trustedTypedAt } from './typedAt.js'
import { wouldChange } from './updateEffect.js'
import { ClientWriter } from './writers.js'
import type { Presenter } from './guards/index.js'
import { type ClientMessage, decodeClientMessage, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2 } from './protocol/index.js'

/** The transport a connection writes to; a `ws` WebSocket satisfies it. */
export interface SyncSocket {
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  readonly bufferedAmount: number
  /** Stops reading from the client while its frames wait for the next turn (`ws` has these). */
  pause?(): void
  resume?(): void
}

/** What one connection may cost the server. */
export interface ConnectionLimits {
  maxBufferedBytes: number
  maxUpdateStructs: number
  maxStructsPerSecond: number
  maxBytesPerSecond: number
  maxClockSkewMs: number
}

const readOnlyReason = 'read-only access: document updates are not accepted'

/** One client's websocket on one document: decodes its frames in order and answers them. */
export class Connection extends ClientWriter implements Peer, Presenter {
  readonly userId: string | null
  private isPrivileged: boolean
  readonly revocationKey: string | null
  readonly presenceName: string | null
  /** Whose awareness clients this connection may present: its revocable holder, else its account. */
  readonly principal: string
  private currentAccess: AccessLevel
  private isClosed = false
  /** Frames that arrived while the turn was full, in order; the socket is paused while any wait. */
  private readonly held: { data: Uint8Array; isBinary: boolean }[] = []
  private readonly structBudget: TokenBucket
  private readonly byteBudget: TokenBucket
  /** The earliest typing time a timed update may claim (see `typedAt.ts`). */
  private readonly sessionStartedAt: number

  constructor(
    private readonly socket: SyncSocket,
    readonly liveDoc: LiveDoc,
    grant: ConnectionGrant,
    private readonly limits: ConnectionLimits,
    private readonly turn: TurnBudget,
    private readonly log: Logger,
    private readonly onClose: (connection: Connection) => void,
    /** How to decide this connection's grant again; none: it keeps what it was given. */
    readonly recheck: Recheck | null = null,
  ) {
    super()
    this.structBudget = new TokenBucket(limits.maxStructsPerSecond, Math.max(limits.maxStructsPerSecond, limits.maxUpdateStructs))
    this.byteBudget = new TokenBucket(limits.maxBytesPerSecond, limits.maxBytesPerSecond * 2)
    this.userId = grant.userId
    this.currentAccess = grant.access
    this.isPrivileged = grant.privileged ?? false
    this.revocationKey = grant.revocationKey ?? null
    this.presenceName = grant.presenceName ?? null
    this.principal = grant.revocationKey ?? grant.userId ?? `connection:${randomUUID()}`
    this.sessionStartedAt = grant.sessionStartedAt ?? Date.now()
    liveDoc.peers.add(this)
    // The server speaks first with its state vector, so the client sends what the server lacks.
    liveDoc.whenStored(() => {
      this.send(encodeSyncStep1(liveDoc.doc))
      const awareness = liveDoc.encodeAllAwareness()
      if (awareness) this.send(awareness)
    })
  }

  /** The client's Yjs client id, as announced in its awareness (y-websocket uses the doc's id). */
  get clientIdHint(): number | null {
    return this.liveDoc.presence.clientOf(this)
  }

  get access(): AccessLevel {
    return this.currentAccess
  }

  get privileged(): boolean {
    return this.isPrivileged
  }

  get isOpen(): boolean {
    return !this.isClosed
  }

  /**
   * Applies a grant decided anew: none closes with 4403, read takes write access away (the client
   * is told, see `downgradeToRead`), write gives it back. Attribution and presence stay as opened.
   */
  regrant(grant: ConnectionGrant | null): void {
    if (this.isClosed) return
    if (!grant) return this.close(CloseCode.forbidden, `access to "${this.liveDoc.name}" was withdrawn`)
    this.isPrivileged = grant.privileged ?? false
    if (grant.access === 'read') this.downgradeToRead(`write access to "${this.liveDoc.name}" was withdrawn`)
    else this.currentAccess = 'write'
  }

  /**
   * Takes write access away from now on: later updates are dropped like any read connection's.
   * The client is told at once (permission-denied with `reason`), so an editor can lock before its
   * user types into a copy the server no longer accepts.
   */
  downgradeToRead(reason: string): void {
    if (this.currentAccess === 'read') return
    this.currentAccess = 'read'
    this.send(encodePermissionDenied(reason))
  }

  /** Takes one incoming frame: handles it now, or holds it for the next turn when this one is full. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.isClosed) return
    if (this.held.length === 0 && this.turn.hasRoom()) return this.process(data, isBinary)
    this.held.push({ data, isBinary })
    if (this.held.length === 1) {
      this.socket.pause?.()
      this.turn.afterTurn(this.processHeld)
    }
  }

  private readonly processHeld = (): void => {
    while (!this.isClosed && this.held.length > 0 && this.turn.hasRoom()) {
      const { data, isBinary } = this.held.shift()!
      this.process(data, isBinary)
    }
    if (this.isClosed) return
    if (this.held.length > 0) this.turn.afterTurn(this.processHeld)
    else this.socket.resume?.()
  }

  /** Handles every held frame now, whatever the turn's budget: the server is stopping, and what it has read it stores. */
  drainHeld(): void {
    while (!this.isClosed && this.held.length > 0) {
      const { data, isBinary } = this.held.shift()!
      this.process(data, isBinary)
    }
  }

  /** Handles one frame; a bad or over-budget frame closes this connection only. */
  private process(data: Uint8Array, isBinary: boolean): void {
    try {
      if (!isBinary) throw new ProtocolError(CloseCode.unsupportedData, 'text frames are not part of the protocol; send binary')
      if (!this.byteBudget.take(data.byteLength)) throw new ProtocolError(CloseCode.tooManyRequests, `too fast: more than ${this.limits.maxBytesPerSecond} bytes per second`)
      const message = decodeClientMessage(data, this.limits.maxUpdateStructs)
      const cost = costOf(message)
      if (!this.structBudget.take(cost)) throw new ProtocolError(CloseCode.tooManyRequests, `too fast: more than ${this.limits.maxStructsPerSecond} structs per second`)
      this.turn.charge(cost)
      this.handle(message)
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.log.info('sync.protocol_error', { doc: this.liveDoc.name, code: error.closeCode, reason: error.message })
        this.close(error.closeCode, error.message)
      } else {
        this.log.error('sync.message_failed', { doc: this.liveDoc.name, error: String(error) })
        this.close(CloseCode.internalError, 'internal error while handling a message')
      }
    }
  }

  send(message: Uint8Array): void {
    if (this.isClosed) return
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CloseCode.tryAgainLater, 'client is not reading fast enough')
      return
    }
    this.socket.send(message)
  }

  /** Closes the socket and leaves the document. Idempotent. */
  close(code: number, reason: string): void {
    if (this.isClosed) return
    this.socket.close(code, reason)
    // A socket paused for held frames could not read the client's answering close frame, and the
    // closing handshake would hang until the transport's timeout (30 s in `ws`).
    if (this.held.length > 0) this.socket.resume?.()
    this.closed()
  }

  /** The socket is gone: forget this client's presence and leave the document. Idempotent. */
  closed(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.held.length = 0
    this.liveDoc.peers.delete(this)
    this.liveDoc.presence.release(this)
    this.onClose(this)
  }

  private typedAtBounds() {
    return { sessionStartedAt: this.sessionStartedAt, now: Date.now(), clockSkewMs: this.limits.maxClockSkewMs }
  }

  private handle(message: ClientMessage): void {
    const { doc } = this.liveDoc
    switch (message.kind) {
      case 'syncStep1':
        // Answered from stored state only: the doc as it stands once this turn's updates are stored.
        this.liveDoc.whenStored(() => this.send(encodeSyncStep2(this.liveDoc.doc, message.stateVector)))
        return
      case 'update':
        if (this.access !== 'write') {
          if (wouldChange(doc, message.update)) this.send(encodePermissionDenied(readOnlyReason))
          return
        }
        // A timed update is a sync update with a claimed typing time; out of bounds, its arrival time stands.
        this.liveDoc.applyClientUpdate(message.update, message.cost.starts, this, trustedTypedAt(message.typedAt, this.typedAtBounds()))
        return
      case 'awareness':
        this.liveDoc.presence.present(this, message.update, message.entries)
        return
      case 'queryAwareness':
        this.liveDoc.whenStored(() => {
          const all = this.liveDoc.encodeAllAwareness()
          if (all) this.send(all)
        })
        return
    }
  }
}

/** What a frame costs the turn and the sender's budget: its structs and delete ranges, at least 1. */
function costOf(message: ClientMessage): number {
  if (message.kind === 'update') return Math.max(1, message.cost.structs + message.cost.deleteRanges)
  if (message.kind === 'awareness') return Math.max(1, message.entries.length)
  return 1
}
