import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

const messageSync = 0
const syncTimeoutMs = 10_000

/** A sync Update frame, [0, 2, varByteArray(update)], as y-websocket sends a local edit. */
export function encodeUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

// Bench clients hold no document, so they always speak as an empty one.
const emptyDoc = new Y.Doc()
const emptyStep1 = syncFrame((encoder) => syncProtocol.writeSyncStep1(encoder, emptyDoc))
const emptyStep2 = syncFrame((encoder) => syncProtocol.writeSyncStep2(encoder, emptyDoc))

function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/**
 * A y-websocket client without a Y.Doc: it does the handshake and hands every received document
 * update (sync step 2 or update) to `onUpdate` undecoded, so its CPU cost is the same for any server.
 */
export class RawClient {
  private waitingForStep2: Array<{ resolve: () => void; reject: (error: Error) => void }> = []
  private closedReason: string | null = null

  private constructor(
    private readonly ws: WebSocket,
    private readonly url: string,
    private readonly onUpdate: (update: Uint8Array) => void,
  ) {
    ws.on('message', (data: Buffer) => this.receive(data))
    ws.on('close', (code, reason) => {
      this.closedReason = `closed with ${code} ${reason.toString()}`
      for (const waiter of this.waitingForStep2.splice(0)) waiter.reject(new Error(`${url} ${this.closedReason} before syncing`))
    })
  }

  /** Connects and completes the handshake (the server's step 2 answering ours). */
  static async connect(url: string, onUpdate: (update: Uint8Array) => void = () => {}): Promise<RawClient> {
    const ws = new WebSocket(url)
    const client = new RawClient(ws, url, onUpdate)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', (error) => reject(new Error(`cannot connect to ${url}: ${error.message}`)))
    })
    ws.on('error', (error) => process.stderr.write(`[bench] client error on ${url}: ${error.message}\n`))
    await client.sync()
    return client
  }

  /** Sends our step 1 and resolves on the step 2 answer, i.e. once the server handled everything sent before. */
  sync(): Promise<void> {
    if (this.closedReason !== null) return Promise.reject(new Error(`${this.url} ${this.closedReason}`))
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.url} did not answer sync step 1 within ${syncTimeoutMs} ms`)), syncTimeoutMs)
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
    this.ws.send(emptyStep1)
    return answered
  }

  /** Sends one frame; a connection the server closed fails the run rather than dropping edits silently. */
  send(frame: Uint8Array): void {
    if (this.closedReason !== null) throw new Error(`${this.url} ${this.closedReason}`)
    this.ws.send(frame)
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()))
    this.ws.close()
    return closed
  }

  private receive(data: Buffer): void {
    const decoder = decoding.createDecoder(data)
    // Awareness and other message types carry no document content.
    if (decoding.readVarUint(decoder) !== messageSync) return
    const syncType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    switch (syncType) {
      case syncProtocol.messageYjsSyncStep1:
        this.ws.send(emptyStep2)
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
