import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import { type Authorize, CloseCode, type Logger, type SyncEngine, type UpgradeCredentials } from '../../sync/index.js'
import { loginToken, type SessionStore, upgradeCredentials } from '../auth/index.js'
import type { Config } from '../config.js'
import { MuxSession } from './MuxSession.js'
import type { UserSockets } from './UserSockets.js'
import { createWebSocketServer, type UpgradeEndpoint } from './websockets.js'

/**
 * `ws://host/mux?token=…`: many documents over one websocket (frames in `schema/wire/muxFrames.ts`).
 * A token that no longer signs anyone in is refused with 4401; without one the socket opens all
 * the same, and each doc is decided on its own, by the `/sync/<doc>` policy and credentials.
 */
export function createMuxEndpoint(engine: SyncEngine, authorize: Authorize, sessions: SessionStore, userSockets: UserSockets, config: Config, log: Logger): UpgradeEndpoint {
  const server = createWebSocketServer(config.maxMessageBytes, config.heartbeatMs)
  const deps = { engine, authorize, userSockets, log, maxDocsPerSocket: config.maxDocsPerMuxSocket }

  const accept = (ws: WebSocket, credentials: UpgradeCredentials, token: string | null, userId: string | null): void => {
    server.accept(ws)
    ws.on('error', (error) => log.debug('mux.ws_error', { error: error.message }))
    if (token !== null && userId === null) {
      ws.close(CloseCode.unauthenticated, 'not logged in: the token expired or was revoked; log in again')
      return
    }
    if (userId !== null && !userSockets.admit(ws, userId)) return
    const sessionAlive = async () => (await sessions.resolve(token)) !== null
    const session = new MuxSession(ws, credentials, userId, sessionAlive, deps)
    ws.on('message', (data: Buffer, isBinary) => session.receive(data, isBinary))
    ws.on('close', () => session.closed())
  }

  return {
    pathPrefix: '/mux',
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
      if (url.pathname !== '/mux') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
        return
      }
      const credentials = upgradeCredentials(url, request.headers.cookie)
      const token = loginToken(credentials)
      Promise.resolve(token === null ? null : sessions.resolve(token))
        .then((user) => {
          if (socket.destroyed) return
          server.upgrade(request, socket, head, (ws) => accept(ws, credentials, token, user ? String(user.id) : null))
        })
        .catch((error: unknown) => {
          log.error('mux.authorize_failed', { error: String(error) })
          socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n')
        })
    },
    close: () => server.close(),
  }
}
