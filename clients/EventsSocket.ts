import { CloseCode, type EventsCall, type EventsServerFrame } from '../schema/wire/index.js'
import { backoffDelay, type BackoffOptions } from './backoff.js'
import { RpcError } from './RpcError.js'
import { detach, socketClosing, socketOpen, type WebSocketConstructor, type WebSocketLike } from './webSocket.js'

export interface CloseInfo {
  code: number
  reason: string
}

export interface EventsSocketOptions {
  /** The URL of the next connection attempt (it carries the current token), or null to not connect. */
  url(): string | null
  /** Without one (Node 20 has no global WebSocket) the socket never opens and calls use HTTP. */
  WebSocket: WebSocketConstructor | undefined
  backoff: BackoffOptions
  /** How long a call waits for its answer. */
  callTimeoutMs: number
  onOpen(): void
  /** The open socket closed; `willRetry` tells whether a reconnect is scheduled. */
  onClose(info: CloseInfo & { willRetry: boolean }): void
  /** The server refused the token (close code 4401, after `onClose` if it had opened); no reconnect is scheduled. */
  onUnauthenticated(info: CloseInfo): void
  onPush(event: string, data: unknown): void
}

interface PendingCall {
  event: string
  resolve(data: unknown): void
  reject(error: RpcError): void
  timer: ReturnType<typeof setTimeout>
}

/**
 * The `/events` websocket: calls `{id, event, data}` matched to their answers by id, pushes
 * `{event, data}`, and reconnection with jittered exponential backoff until `stop()` or a 4401.
 */
export class EventsSocket {
  private ws: WebSocketLike | null = null
  private running = false
  /** Failed attempts since the last successful open. */
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private nextId = 1
  private readonly pending = new Map<number, PendingCall>()

  constructor(private readonly options: EventsSocketOptions) {}

  get isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === socketOpen
  }

  /** Connects now unless already connecting, open, or waiting to retry. */
  start(): void {
    if (this.running || !this.options.WebSocket) return
    this.running = true
    this.attempt = 0
    this.connect()
  }

  /** Closes the socket and stops reconnecting; calls waiting for an answer fail as `disconnected`. */
  stop(): void {
    this.running = false
    this.clearRetry()
    const ws = this.ws
    if (!ws) return
    this.ws = null
    // A socket the server is closing (it revokes the token on logout) was open all the same.
    const wasOpen = ws.readyState === socketOpen || ws.readyState === socketClosing
    detach(ws)
    ws.close(1000, 'closed by the client')
    this.failPending('the events socket was closed')
    if (wasOpen) this.options.onClose({ code: 1000, reason: 'closed by the client', willRetry: false })
  }

  /** Closes the current socket as a dropped network would, then reconnects with backoff. */
  reconnect(): void {
    if (!this.running) return
    const ws = this.ws
    if (ws) ws.close(4000, 'reconnect requested by the client')
    else {
      this.clearRetry()
      this.connect()
    }
  }

  /** Sends one call over the open socket; rejects when it is not open, times out, or the socket closes first. */
  call(event: string, data: unknown): Promise<unknown> {
    const ws = this.ws
    if (!ws || ws.readyState !== socketOpen) return Promise.reject(new RpcError('the events socket is not open', event, undefined, 'disconnected'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new RpcError(`no answer to "${event}" within ${this.options.callTimeoutMs} ms`, event, undefined, 'timeout'))
      }, this.options.callTimeoutMs)
      this.pending.set(id, { event, resolve, reject, timer })
      try {
        const frame: EventsCall = { id, event, data }
        ws.send(JSON.stringify(frame))
      } catch (error) {
        clearTimeout(timer)
        this.pending.delete(id)
        reject(new RpcError(`cannot send "${event}": ${String(error)}`, event, undefined, 'disconnected', { cause: error }))
      }
    })
  }

  private connect(): void {
    this.retryTimer = null
    const url = this.running ? this.options.url() : null
    if (url === null) {
      this.running = false
      return
    }
    let ws: WebSocketLike
    try {
      ws = new this.options.WebSocket!(url)
    } catch {
      this.scheduleRetry()
      return
    }
    this.ws = ws
    let opened = false
    ws.onopen = () => {
      if (this.ws !== ws) return
      opened = true
      this.attempt = 0
      this.options.onOpen()
    }
    ws.onmessage = (event: { data: unknown }) => {
      if (this.ws === ws && typeof event.data === 'string') this.receive(event.data)
    }
    // Errors are always followed by a close event, which is where retries are decided.
    ws.onerror = () => {}
    ws.onclose = (event: { code?: number; reason?: string }) => {
      if (this.ws !== ws) return
      this.ws = null
      detach(ws)
      this.failPending('the events socket closed before the answer arrived')
      const info = { code: event.code ?? 1006, reason: event.reason ?? '' }
      const unauthenticated = info.code === CloseCode.unauthenticated
      if (unauthenticated) this.running = false
      if (this.running) this.scheduleRetry()
      if (opened) this.options.onClose({ ...info, willRetry: this.running })
      if (unauthenticated) this.options.onUnauthenticated(info)
    }
  }

  private receive(text: string): void {
    let frame: EventsServerFrame
    try {
      frame = JSON.parse(text) as EventsServerFrame
    } catch {
      return
    }
    if (frame === null || typeof frame !== 'object') return
    if ('success' in frame) {
      if (typeof frame.id !== 'number') return
      const call = this.pending.get(frame.id)
      if (!call) return
      this.pending.delete(frame.id)
      clearTimeout(call.timer)
      if (frame.success === true) call.resolve(frame.data)
      else call.reject(new RpcError(frame.message ?? `"${call.event}" failed`, call.event, undefined, 'server'))
      return
    }
    if (typeof frame.event === 'string') this.options.onPush(frame.event, frame.data)
  }

  private scheduleRetry(): void {
    this.clearRetry()
    const delay = backoffDelay(this.attempt++, this.options.backoff)
    this.retryTimer = setTimeout(() => this.connect(), delay)
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private failPending(message: string): void {
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer)
      this.pending.delete(id)
      call.reject(new RpcError(message, call.event, undefined, 'disconnected'))
    }
  }
}
