import WebSocket from 'ws'
import type { RoomEvent, RoomEventPayload } from '../../schema/index.js'

/** A signaling websocket that records every frame and lets a test wait for the one it expects. */
export class SignalingClient {
  readonly frames: RoomEvent[] = []
  readonly opened: Promise<void>
  readonly closed: Promise<{ code: number; reason: string }>
  private readonly ws: WebSocket
  private readonly waiters = new Set<() => void>()

  constructor(serverUrl: string, roomId: string, token?: string) {
    const query = token ? `?token=${encodeURIComponent(token)}` : ''
    this.ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/signaling/${roomId}${query}`)
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('error', reject)
    })
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
    this.ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString()) as RoomEvent)
      for (const wake of this.waiters) wake()
    })
  }

  /** Sends `{namespace, payload}`. */
  send(namespace: string, payload: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ namespace, payload }))
  }

  /** Sends raw text or bytes, for malformed-input tests. */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data)
  }

  /** Sends several commands in one TCP write, so the server reads them in the same turn of its event loop. */
  sendTogether(commands: { namespace: string; payload: Record<string, unknown> }[]): void {
    // `ws` keeps its net.Socket private; corking it is the only way to force one write for several frames.
    const socket = (this.ws as unknown as { _socket: import('node:net').Socket })._socket
    socket.cork()
    for (const command of commands) this.ws.send(JSON.stringify(command))
    process.nextTick(() => socket.uncork())
  }

  /** Waits for the first frame after `since` (an index into `frames`) matching `namespace` and `message`. */
  async next(namespace: string, message: string, options: { since?: number; timeoutMs?: number } = {}): Promise<RoomEventPayload> {
    const { since = 0, timeoutMs = 5_000 } = options
    const find = () => this.frames.slice(since).find((frame) => frame.namespace === namespace && frame.payload.message === message)
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = find()
      if (found) return found.payload
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${namespace}/${message}; got ${JSON.stringify(this.frames.slice(since).map((f) => `${f.namespace}/${f.payload.message}`))}`)
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(wake, left)
        this.waiters.add(wake)
      })
    }
  }

  /** Frames of `namespace`/`message` received after `since`. */
  received(namespace: string, message: string, since = 0): RoomEventPayload[] {
    return this.frames.slice(since).filter((f) => f.namespace === namespace && f.payload.message === message).map((f) => f.payload)
  }

  /** Opens, joins as `displayName` (resuming an earlier participation with `resumption`), and answers the `join_success` payload. */
  async join(displayName?: string, resumption?: string): Promise<RoomEventPayload & { id: string; resumption: string }> {
    await this.opened
    const since = this.frames.length
    this.send('control', { action: 'join', ...(displayName === undefined ? {} : { display_name: displayName }), ...(resumption ? { resumption } : {}) })
    return (await this.next('control', 'join_success', { since })) as RoomEventPayload & { id: string; resumption: string }
  }

  close(): void {
    this.ws.close(1000)
  }
}
