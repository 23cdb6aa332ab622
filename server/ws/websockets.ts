import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode, type Logger } from '../../sync/index.js'
import type { OriginPolicy } from '../http/OriginPolicy.js'

/** A close frame's reason may hold at most 123 bytes (RFC 6455, 5.5). */
const maxCloseReasonBytes = 123
/** A heartbeat that fires this many intervals after the previous one was delayed by the server itself. */
const lateBeatFactor = 1.5

/** A websocket server on a path prefix, sharing the HTTP server's port. */
export interface UpgradeEndpoint {
  readonly pathPrefix: string
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void
  close(): void
}

/**
 * A `ws` server that is not bound to a port, pings its clients every `heartbeatMs` and drops
 * those that neither answered the previous ping nor sent anything since, and gives every close a reason.
 */
export function createWebSocketServer(
  maxPayload: number,
  heartbeatMs: number,
): { upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, accepted: (ws: WebSocket) => void): void; accept(ws: WebSocket): void; close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload })
  // `ws` closes on transport errors without a reason; these are the reasons it should have given.
  const transportReasons: Partial<Record<number, string>> = {
    [CloseCode.protocolError]: 'malformed websocket frame',
    [CloseCode.invalidPayload]: 'invalid websocket frame payload',
    [CloseCode.messageTooBig]: `message larger than the limit of ${maxPayload} bytes`,
  }
  const answered = new WeakMap<WebSocket, boolean>()
  const transports = new WeakMap<WebSocket, Socket>()
  /** Bytes read from each client by the previous beat: a client still sending is alive, even while its pong waits behind a big frame. */
  const readByLastBeat = new WeakMap<WebSocket, number>()
  let lastBeat = Date.now()
  const heartbeat = setInterval(() => {
    // A beat that comes late means the server was busy, not that its clients are gone: nobody is dropped for it.
    const now = Date.now()
    const onTime = now - lastBeat < heartbeatMs * lateBeatFactor
    lastBeat = now
    // Judged after this turn has read its sockets, so a pong that waited behind the server's own work counts.
    setImmediate(() => {
      for (const ws of wss.clients) {
        const read = transports.get(ws)?.bytesRead ?? 0
        const heard = answered.get(ws) !== false || read > (readByLastBeat.get(ws) ?? 0)
        // A paused socket is one the engine stopped reading for a moment; its pong may be in the unread part.
        if (!heard && onTime && !ws.isPaused) {
          ws.terminate()
          continue
        }
        answered.set(ws, false)
        readByLastBeat.set(ws, read)
        ws.ping()
      }
    })
  }, heartbeatMs)
  heartbeat.unref()

  return {
    upgrade(request, socket, head, accepted) {
      wss.handleUpgrade(request, socket, head, (ws) => {
        // An upgrade arrives on the HTTP server's net.Socket.
        transports.set(ws, socket as Socket)
        accepted(ws)
      })
    },
    accept(ws) {
      withCloseReasons(ws, transportReasons)
      answered.set(ws, true)
      ws.on('pong', () => answered.set(ws, true))
    },
    close() {
      clearInterval(heartbeat)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

/** Every close of `ws` carries a reason that fits a close frame, the default one for its code if none was given. */
function withCloseReasons(ws: WebSocket, defaults: Partial<Record<number, string>>): void {
  const close = ws.close.bind(ws)
  ws.close = (code?: number, reason?: string | Buffer) => {
    const text = reason === undefined ? (code === undefined ? undefined : defaults[code]) : String(reason)
    close(code, text === undefined ? undefined : truncateUtf8(text, maxCloseReasonBytes))
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text)
  if (bytes.byteLength <= maxBytes) return text
  // Cutting may split a character; decoding turns the partial one into U+FFFD, so strip that.
  return bytes.subarray(0, maxBytes - 3).toString().replace(/\uFFFD$/, '') + '...'
}

/**
 * Sends every upgrade to the endpoint whose prefix its path starts with, and 404s the rest. An
 * upgrade from a page the origin policy does not allow is refused with 403 before any websocket
 * handshake: the browser would otherwise attach the user's cookie for that page.
 */
export function routeUpgrades(endpoints: readonly UpgradeEndpoint[], origins: OriginPolicy, log: Logger) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    if (!origins.allows(request.headers.origin, request.headers.host)) {
      log.info('ws.origin_refused', { origin: request.headers.origin, path: request.url?.split('?')[0] })
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    const url = new URL(request.url ?? '/', 'http://localhost')
    const endpoint = endpoints.find((e) => url.pathname.startsWith(e.pathPrefix))
    if (endpoint) endpoint.upgrade(request, socket, head, url)
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
  }
}
