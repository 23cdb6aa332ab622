/**
 * The part of the WebSocket API the SDK uses; the browser's `WebSocket` and the `ws` package
 * both have it. Handlers take `any` so both implementations' event types fit.
 */
export interface WebSocketLike {
  readonly readyState: number
  onopen: ((event: any) => void) | null
  onmessage: ((event: any) => void) | null
  onclose: ((event: any) => void) | null
  onerror: ((event: any) => void) | null
  /** Text for the events and signaling sockets, binary for the docs' socket. */
  send(data: string | Uint8Array): void
  readonly bufferedAmount?: number
  close(code?: number, reason?: string): void
}

export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[]): WebSocketLike
}

/** `readyState` of an open socket (the same in every implementation). */
export const socketOpen = 1
/** `readyState` once a close has begun: the server's close frame may have arrived before `stop()`. */
export const socketClosing = 2

/** `globalThis.WebSocket` if the platform has one (browsers, Node 22+). */
export function platformWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
}

/** Drops our handlers so a closing socket can no longer reach a client that moved on. */
export function detach(ws: WebSocketLike): void {
  ws.onopen = ws.onmessage = ws.onclose = null
  ws.onerror = () => {}
}
