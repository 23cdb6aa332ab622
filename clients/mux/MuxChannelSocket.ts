import type { WebSocketLike } from '../webSocket.js'

/** What a channel needs of the shared socket it rides. */
export interface ChannelHost {
  /** Asks the server for the channel's doc now if the socket is open, else once it is. */
  attach(channel: MuxChannelSocket): void
  /** Sends one y-websocket message of the channel. */
  sendData(channel: MuxChannelSocket, message: Uint8Array): void
  /** The channel is done: the server is told if it had been asked for it. */
  detachChannel(channel: MuxChannelSocket): void
  readonly bufferedAmount: number
}

const CONNECTING = 0
const OPEN = 1
const CLOSING = 2
const CLOSED = 3

/**
 * One doc's channel of the shared `/mux` socket, with the WebSocket API y-websocket's provider
 * uses: the provider, `docAccess.ts` and the replica sync run on it as on a socket of their own.
 * It opens when the server grants the doc and closes with the code and reason the server gave
 * that doc, or the shared socket's own when that one goes.
 */
export class MuxChannelSocket implements WebSocketLike {
  static readonly CONNECTING = CONNECTING
  static readonly OPEN = OPEN
  static readonly CLOSING = CLOSING
  static readonly CLOSED = CLOSED
  readonly CONNECTING = CONNECTING
  readonly OPEN = OPEN
  readonly CLOSING = CLOSING
  readonly CLOSED = CLOSED

  /** Set by the host when it asks the server for the doc; 0 until then. */
  id = 0
  binaryType = 'arraybuffer'
  readyState: number = CONNECTING
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null

  constructor(
    private readonly host: ChannelHost,
    readonly docName: string,
  ) {
    host.attach(this)
  }

  get bufferedAmount(): number {
    return this.host.bufferedAmount
  }

  send(data: string | Uint8Array | ArrayBuffer): void {
    if (this.readyState !== OPEN) throw new Error(`the channel of "${this.docName}" is not open`)
    if (typeof data === 'string') throw new TypeError('a doc channel carries binary y-websocket messages only')
    this.host.sendData(this, data instanceof Uint8Array ? data : new Uint8Array(data))
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSED) return
    this.host.detachChannel(this)
    this.ended(code, reason)
  }

  /** The server granted the doc. */
  opened(): void {
    if (this.readyState !== CONNECTING) return
    this.readyState = OPEN
    this.onopen?.({ type: 'open' })
  }

  received(message: Uint8Array): void {
    if (this.readyState !== OPEN) return
    // binaryType 'arraybuffer', as the provider sets it: a copy the size of the message.
    this.onmessage?.({ data: message.slice().buffer })
  }

  /** The server closed the doc, or the shared socket went: as a websocket's close event. */
  ended(code: number, reason: string): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    const onclose = this.onclose
    // A websocket reports its close later, never inside the call that caused it.
    queueMicrotask(() => onclose?.({ code, reason, wasClean: code !== 1006 }))
  }
}
