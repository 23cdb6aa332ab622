import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { type AccessLevel, type Authorize, CloseCode, DocLoadError, isValidDocName, type Logger, type SyncEngine } from '../sync/index.js'
import type { Config } from './config.js'

export const syncPathPrefix = '/sync/'

/** A close frame's reason may hold at most 123 bytes (RFC 6455, 5.5). */
const maxCloseReasonBytes = 123

/**
 * Serves `ws://host/sync/<docName>?token=…` on `httpServer`: authorizes at the upgrade, then hands
 * the socket to the engine. Returns a function that stops the endpoint.
 */
export function attachSyncEndpoint(httpServer: Server, engine: SyncEngine, authorize: Authorize, config: Config, log: Logger): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes })
  // `ws` closes on transport errors without a reason; these are the reasons it should have given.
  const transportCloseReasons: Partial<Record<number, string>> = {
    [CloseCode.protocolError]: 'malformed websocket frame',
    [CloseCode.invalidPayload]: 'invalid websocket frame payload',
    [CloseCode.messageTooBig]: `message larger than the limit of ${config.maxMessageBytes} bytes`,
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => log.debug('sync.socket_error', { error: String(error) }))
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(syncPathPrefix)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    const docName = decodeDocName(url.pathname.slice(syncPathPrefix.length))
    const token = url.searchParams.get('token')
    resolveAccess(authorize, docName, token)
      .then((decision) => {
        if (socket.destroyed) return
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, docName, decision))
      })
      .catch((error: unknown) => {
        log.error('sync.authorize_failed', { error: String(error) })
        socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n')
      })
  }

  const accept = (ws: WebSocket, docName: string | null, decision: AccessDecision): void => {
    withCloseReasons(ws, transportCloseReasons)
    ws.on('error', (error) => log.debug('sync.ws_error', { error: error.message }))
    if (docName === null || !isValidDocName(docName)) {
      ws.close(CloseCode.badRequest, 'invalid document name: use letters, digits, "_", "-", "." in ":"-separated parts, at most 200 characters')
      return
    }
    if (decision === 'denied') {
      ws.close(CloseCode.forbidden, `access to document "${docName}" denied`)
      return
    }
    const alive = { answeredPing: true }
    ws.on('pong', () => (alive.answeredPing = true))
    heartbeats.set(ws, alive)
    try {
      const connection = engine.connect(ws, docName, { access: decision, userId: null })
      ws.on('message', (data: Buffer, isBinary) => connection.receive(data, isBinary))
      ws.on('close', () => connection.closed())
    } catch (error) {
      if (!(error instanceof DocLoadError)) throw error
      log.error('sync.doc_load_failed', { doc: docName, error: String(error.cause) })
      ws.close(CloseCode.internalError, error.message)
    }
  }

  const heartbeats = new WeakMap<WebSocket, { answeredPing: boolean }>()
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      const alive = heartbeats.get(ws)
      if (!alive) continue
      if (!alive.answeredPing) {
        ws.terminate()
        continue
      }
      alive.answeredPing = false
      ws.ping()
    }
  }, config.heartbeatMs)
  heartbeat.unref()

  httpServer.on('upgrade', onUpgrade)
  return () => {
    clearInterval(heartbeat)
    httpServer.off('upgrade', onUpgrade)
    for (const ws of wss.clients) ws.terminate()
    wss.close()
  }
}

type AccessDecision = AccessLevel | 'denied'

async function resolveAccess(authorize: Authorize, docName: string | null, token: string | null): Promise<AccessDecision> {
  if (docName === null || !isValidDocName(docName)) return 'denied'
  return (await authorize(docName, token)) ?? 'denied'
}

function decodeDocName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded)
  } catch {
    return null
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
  // Cutting may split a character; decoding drops the partial one as U+FFFD, so strip that.
  return bytes.subarray(0, maxBytes - 3).toString().replace(/\uFFFD$/, '') + '...'
}
