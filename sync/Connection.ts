import { applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { AccessLevel, ConnectionGrant } from './access.js'
import { CloseCode, ProtocolError } from './errors.js'
import type { LiveDoc, Peer, UpdateOrigin } from './LiveDoc.js'
import type { Logger } from './Logger.js'
import type { GuardedWriter } from './guards/index.js'
import { wouldChange } from './updateEffect.js'
import { type AwarenessEntry, type ClientMessage, decodeClientMessage, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2 } from './protocol/index.js'

/** The transport a connection writes to; a `ws` WebSocket satisfies it. */
export interface SyncSocket {
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  readonly bufferedAmount: number
}

const readOnlyReason = 'read-only access: document updates are not accepted'

/** One client's websocket on one document: decodes its frames in order and answers them. */
export class Connection implements Peer, UpdateOrigin, GuardedWriter {
  readonly userId: string | null
  readonly privileged: boolean
  readonly revocationKey: string | null
  private readonly presenceName: string | null
  private currentAccess: AccessLevel
  private readonly awarenessClientIds = new Set<number>()
  private isClosed = false

  constructor(
    private readonly socket: SyncSocket,
    readonly liveDoc: LiveDoc,
    grant: ConnectionGrant,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
    private readonly onClose: (connection: Connection) => void,
  ) {
    this.userId = grant.userId
    this.currentAccess = grant.access
    this.privileged = grant.privileged ?? false
    this.revocationKey = grant.revocationKey ?? null
    this.presenceName = grant.presenceName ?? null
    liveDoc.peers.add(this)
    // The server speaks first with its state vector, so the client sends what the server lacks.
    this.send(encodeSyncStep1(liveDoc.doc))
    const awareness = liveDoc.encodeAllAwareness()
    if (awareness) this.send(awareness)
  }

  /** The client's Yjs client id, as announced in its awareness (y-websocket uses the doc's id). */
  get clientIdHint(): number | null {
    for (const id of this.awarenessClientIds) return id
    return null
  }

  get access(): AccessLevel {
    return this.currentAccess
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

  /** Whether this connection presents the awareness client `clientId` (it sent that client's state). */
  presents(clientId: number): boolean {
    return this.awarenessClientIds.has(clientId)
  }

  /** Handles one incoming frame; a bad frame closes this connection only. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.isClosed) return
    try {
      if (!isBinary) throw new ProtocolError(CloseCode.unsupportedData, 'text frames are not part of the protocol; send binary')
      this.handle(decodeClientMessage(data))
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
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCode.tryAgainLater, 'client is not reading fast enough')
      return
    }
    this.socket.send(message)
  }

  /** Closes the socket and leaves the document. Idempotent. */
  close(code: number, reason: string): void {
    if (this.isClosed) return
    this.socket.close(code, reason)
    this.closed()
  }

  /** The socket is gone: forget this client's presence and leave the document. Idempotent. */
  closed(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.liveDoc.peers.delete(this)
    if (this.awarenessClientIds.size > 0) {
      removeAwarenessStates(this.liveDoc.awareness, [...this.awarenessClientIds], this)
    }
    this.onClose(this)
  }

  private isPresentedByAnother(clientId: number): boolean {
    for (const peer of this.liveDoc.peers) if (peer !== this && peer instanceof Connection && peer.presents(clientId)) return true
    return false
  }

  /**
   * Why an awareness update is refused, or null. y-websocket clients echo the states of others they
   * received; an echo is never newer than the server's copy, so a newer state for a client another
   * connection presents is a forgery. The connection's own entries must carry its presence name.
   */
  private awarenessRefusal(entries: readonly AwarenessEntry[]): string | null {
    const { meta } = this.liveDoc.awareness
    for (const entry of entries) {
      if (this.isPresentedByAnother(entry.clientId)) {
        if (entry.clock > (meta.get(entry.clientId)?.clock ?? 0)) return 'awareness of another client cannot be changed'
      } else if (this.presenceName !== null && !presentsAs(entry.state, this.presenceName)) {
        return `awareness must present you as "${this.presenceName}" (user.name)`
      }
    }
    return null
  }

  private handle(message: ClientMessage): void {
    const { doc, awareness } = this.liveDoc
    switch (message.kind) {
      case 'syncStep1':
        this.send(encodeSyncStep2(doc, message.stateVector))
        return
      case 'update':
        if (this.access !== 'write') {
          if (wouldChange(doc, message.decoded)) this.send(encodePermissionDenied(readOnlyReason))
          return
        }
        Y.applyUpdate(doc, message.update, this)
        return
      case 'awareness': {
        const refusal = this.awarenessRefusal(message.entries)
        if (refusal) {
          this.send(encodePermissionDenied(refusal))
          return
        }
        for (const entry of message.entries) {
          if (this.isPresentedByAnother(entry.clientId)) continue
          if (entry.state === null) this.awarenessClientIds.delete(entry.clientId)
          else this.awarenessClientIds.add(entry.clientId)
        }
        applyAwarenessUpdate(awareness, message.update, this)
        return
      }
      case 'queryAwareness': {
        const all = this.liveDoc.encodeAllAwareness()
        if (all) this.send(all)
        return
      }
    }
  }
}

/** Whether an awareness state claims no other name than `name`: a left client (null) or a state without `user.name` claims none. */
function presentsAs(state: unknown, name: string): boolean {
  if (typeof state !== 'object' || state === null || !('user' in state)) return true
  const user = (state as { user: unknown }).user
  if (typeof user !== 'object' || user === null || !('name' in user)) return true
  return (user as { name: unknown }).name === name
}
