import { CloseCode, decodeMuxFrame, encodeMuxControl, encodeMuxData, type MuxControl } from '../../schema/wire/index.js'
import { backoffDelay, type BackoffOptions } from '../backoff.js'
import type { CloseInfo } from '../EventsSocket.js'
import { detach, socketOpen, type WebSocketConstructor, type WebSocketLike } from '../webSocket.js'
import { MuxChannelSocket, type ChannelHost } from './MuxChannelSocket.js'

export interface SharedDocSocketOptions {
  /** `ws://host/mux?token=…` with the current token, read at every connection attempt. */
  url(): string
  WebSocket: WebSocketConstructor
  backoff: BackoffOptions
  onOpen(): void
  /** The open socket closed; its channels closed with it. */
  onClose(info: CloseInfo): void
  /** The server refused the token (4401); no reconnect until a channel asks again (after a login). */
  onUnauthenticated(info: CloseInfo): void
}

/** Close codes of the whole socket after which retrying with the same token is pointless. */
const isTerminal = (code: number): boolean => code >= 4400 && code < 4500

/**
 * The one websocket a client's docs share (`/mux`). It connects when a channel asks for a doc, and
 * reconnects with backoff, with the token current then, while channels wait; channels that were
 * open close with the socket's close code, so their providers resync over the next socket as
 * they would over a socket of their own. Once its last channel closes it closes too.
 */
export class SharedDocSocket implements ChannelHost {
  private ws: WebSocketLike | null = null
  private nextId = 1
  /** Channels by id once asked for on the open socket; waiting ones have id 0. */
  private readonly byId = new Map<number, MuxChannelSocket>()
  private readonly waiting = new Set<MuxChannelSocket>()
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  /** The class y-websocket's provider takes as `WebSocketPolyfill`: each instance is a channel of this socket. */
  readonly ChannelSocket: WebSocketConstructor

  constructor(
    /** The provider's URL up to the doc name (`ws://host/sync/`): the rest of each channel's URL names its doc. */
    docUrlPrefix: string,
    private readonly options: SharedDocSocketOptions,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const host = this
    this.ChannelSocket = class extends MuxChannelSocket {
      constructor(url: string) {
        super(host, docNameOf(url, docUrlPrefix))
      }
    }
  }

  get isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === socketOpen
  }

  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0
  }

  attach(channel: MuxChannelSocket): void {
    if (this.isOpen) return this.ask(channel)
    this.waiting.add(channel)
    if (this.ws === null && this.retryTimer === null) this.connect()
  }

  sendData(channel: MuxChannelSocket, message: Uint8Array): void {
    this.ws?.send(encodeMuxData(channel.id, message))
  }

  detachChannel(channel: MuxChannelSocket): void {
    this.waiting.delete(channel)
    if (this.byId.get(channel.id) === channel) {
      this.byId.delete(channel.id)
      if (this.isOpen) this.sendControl({ type: 'close', channel: channel.id })
    }
    if (this.byId.size === 0 && this.waiting.size === 0) this.stop()
  }

  /** Drops the socket (a new login: the next one carries the new token); open channels close and their providers reconnect. */
  reconnect(): void {
    this.ws?.close(4000, 'reconnect requested by the client')
  }

  /** Closes the socket and every channel on it. */
  close(): void {
    for (const channel of [...this.byId.values(), ...this.waiting]) channel.ended(1000, 'closed by the client')
    this.byId.clear()
    this.waiting.clear()
    this.stop()
  }

  private stop(): void {
    this.clearRetry()
    const ws = this.ws
    if (!ws) return
    this.ws = null
    const wasOpen = ws.readyState === socketOpen
    detach(ws)
    ws.close(1000, 'closed by the client')
    if (wasOpen) this.options.onClose({ code: 1000, reason: 'closed by the client' })
  }

  private connect(): void {
    this.retryTimer = null
    let ws: WebSocketLike
    try {
      ws = new this.options.WebSocket(this.options.url())
    } catch {
      return this.scheduleRetry()
    }
    ;(ws as { binaryType?: string }).binaryType = 'arraybuffer'
    this.ws = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      this.attempt = 0
      this.options.onOpen()
      for (const channel of [...this.waiting]) this.ask(channel)
      this.waiting.clear()
    }
    ws.onmessage = (event: { data: unknown }) => this.receive(event.data)
    ws.onerror = () => {}
    ws.onclose = (event: { code?: number; reason?: string }) => {
      if (this.ws !== ws) return
      this.ws = null
      detach(ws)
      const info = { code: event.code ?? 1006, reason: event.reason ?? '' }
      const terminal = isTerminal(info.code)
      // Asked-for channels end with the socket; their providers come back as new channels, which wait.
      for (const channel of [...this.byId.values()]) channel.ended(info.code, info.reason)
      this.byId.clear()
      if (terminal) {
        for (const channel of [...this.waiting]) channel.ended(info.code, info.reason)
        this.waiting.clear()
      }
      if (opened) this.options.onClose(info)
      if (info.code === CloseCode.unauthenticated) this.options.onUnauthenticated(info)
      if (!terminal) this.scheduleRetry()
    }
  }

  private ask(channel: MuxChannelSocket): void {
    channel.id = this.nextId++
    this.byId.set(channel.id, channel)
    this.sendControl({ type: 'open', channel: channel.id, docName: channel.docName })
  }

  private receive(data: unknown): void {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null
    if (!bytes) return
    let frame
    try {
      frame = decodeMuxFrame(bytes)
    } catch {
      return // A server speaks the envelope; a frame that does not is dropped rather than trusted.
    }
    if (frame.kind === 'data') return this.byId.get(frame.channel)?.received(frame.message)
    const { control } = frame
    const channel = this.byId.get(control.channel)
    if (!channel) return // closed here already; the server's answer crossed it
    if (control.type === 'opened') channel.opened()
    else if (control.type === 'closed') {
      this.byId.delete(control.channel)
      channel.ended(control.code, control.reason)
    }
  }

  private sendControl(control: MuxControl): void {
    this.ws?.send(encodeMuxControl(control))
  }

  private scheduleRetry(): void {
    this.clearRetry()
    if (this.waiting.size === 0) return
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, this.options.backoff))
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }
}

/** The doc a provider's URL names: `<prefix><name>?params`. */
function docNameOf(url: string, prefix: string): string {
  const rest = url.startsWith(prefix) ? url.slice(prefix.length) : url.slice(url.lastIndexOf('/') + 1)
  const name = rest.split('?')[0]!
  try {
    return decodeURIComponent(name)
  } catch {
    return name
  }
}
