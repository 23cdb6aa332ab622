import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { type Dialect, type DialectName, dialects } from './dialects.js'

const messageSync = 0
const syncTimeoutMs = 10_000
const closeHandshakeMs = 2_000

/** A sync Update frame, [0, 2, varByteArray(update)], as y-websocket sends a local edit. */
export function encodeUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

// Bench clients hold no document, so they always speak as an empty one.
const emptyDoc = new Y.Doc()
/** Sync step 1 of a client that has nothing: the server answers with everything it has. */
export const emptyStep1 = syncFrame((encoder) => syncProtocol.writeSyncStep1(encoder, emptyDoc))
const emptyStep2 = syncFrame((encoder) => syncProtocol.writeSyncStep2(encoder, emptyDoc))

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Where a bench client connects; plain data, so that child processes can be told it. */
export interface DocAddress {
  url: string
  docName: string
  dialect: DialectName
}

/**
 * A y-websocket client without a Y.Doc: it does the handshake and hands every received document
 * update (sync step 2 or update) to `onUpdate` undecoded, so its CPU cost is the same for any server.
 */
export class RawClient {
  private waitingForStep2: Array<{ resolve: () => void; reject: (error: Error) => void }> = []
  private lostReason: string | null = null
  private closing = false
  private readonly dialect: Dialect

  private constructor(
    private readonly ws: WebSocket,
    private readonly address: DocAddress,
    private readonly onUpdate: (update: Uint8Array) => void,
    private readonly onLost: (reason: string) => void,
  ) {
    this.dialect = dialects[address.dialect]
    ws.on('message', (data: Buffer) => this.receive(data))
    ws.on('close', (code, reason) => this.lose(`closed with ${code} ${reason.toString()}`))
  }

  /**
   * Connects and completes the handshake (the server's step 2 answering ours). `onLost` hears of
   * every end of the session this client did not ask for: a close, or a dialect's own close message.
   */
  static async connect(address: DocAddress, onUpdate: (update: Uint8Array) => void = () => {}, onLost: (reason: string) => void = () => {}): Promise<RawClient> {
    const ws = new WebSocket(address.url)
    const client = new RawClient(ws, address, onUpdate, onLost)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', (error) => reject(new Error(`cannot connect to ${address.url}: ${error.message}`)))
    })
    ws.on('error', (error) => process.stderr.write(`[bench] client error on ${address.url}: ${error.message}\n`))
    for (const frame of client.dialect.greeting(address.docName)) ws.send(frame)
    await client.sync()
    return client
  }

  /** Why the session ended without this client closing it; null while it lasts. */
  get lost(): string | null {
    return this.lostReason
  }

  /**
   * Sends our step 1 and resolves on the step 2 answer, i.e. once the server handled everything
   * sent before; rejects after `timeoutMs` (never with null) or when the session ends.
   */
  sync(timeoutMs: number | null = syncTimeoutMs): Promise<void> {
    if (this.lostReason !== null) return Promise.reject(new Error(`${this.address.url} ${this.lostReason}`))
    const answered = new Promise<void>((resolve, reject) => {
      const timer = timeoutMs === null ? undefined : setTimeout(() => reject(new Error(`${this.address.url} did not answer sync step 1 within ${timeoutMs} ms`)), timeoutMs)
      this.waitingForStep2.push({
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
    })
    this.send(emptyStep1)
    return answered
  }

  /** Sends one y-websocket message; a session the server ended fails the run rather than dropping edits silently. */
  send(message: Uint8Array): void {
    if (this.lostReason !== null) throw new Error(`${this.address.url} ${this.lostReason}`)
    this.ws.send(this.dialect.wrap(this.address.docName, message))
  }

  /** Closes the socket; a server too busy to answer the close handshake soon gets its socket cut. */
  close(): Promise<void> {
    this.closing = true
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()))
    this.ws.close()
    const cut = setTimeout(() => this.ws.terminate(), closeHandshakeMs)
    return closed.finally(() => clearTimeout(cut))
  }

  private lose(reason: string): void {
    if (this.lostReason !== null) return
    this.lostReason = reason
    for (const waiter of this.waitingForStep2.splice(0)) waiter.reject(new Error(`${this.address.url} ${reason} before answering`))
    if (!this.closing) this.onLost(reason)
  }

  private receive(data: Buffer): void {
    const received = this.dialect.unwrap(data)
    if (received.kind === 'closed') {
      this.lose(`ended by the server: ${received.reason}`)
      this.ws.close()
      return
    }
    if (received.kind === 'ignored') return
    const decoder = decoding.createDecoder(received.message)
    // Awareness and other message types carry no document content.
    if (decoding.readVarUint(decoder) !== messageSync) return
    const syncType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1:
        this.send(emptyStep2)
        return
      case syncProtocol.messageYjsSyncStep2:
        this.onUpdate(payload)
        this.waitingForStep2.shift()?.resolve()
        return
      case syncProtocol.messageYjsUpdate:
        this.onUpdate(payload)
        return
    }
  }
}
