import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import { parseRoomId, SignalingCloseCode } from '../../schema/index.js'
import { CloseCode, type Logger } from '../../sync/index.js'
import { loginToken, type SessionStore, upgradeCredentials } from '../auth/index.js'
import type { Config } from '../config.js'
import type { LiveRooms, RoomStore, SignalingIdentity } from '../rooms/index.js'
import type { UserSockets } from './UserSockets.js'
import { createWebSocketServer, type UpgradeEndpoint } from './websockets.js'

type Admission = { admitted: true; roomId: string; identity: SignalingIdentity } | { admitted: false; code: number; reason: string }

/**
 * `ws://host/signaling/<roomId>?token=…`: a room's signaling channel of `{namespace, payload}`
 * frames. The token is a login token (signed-in users) or one of the room's guest links (guests).
 */
export function createSignalingEndpoint(
  rooms: LiveRooms,
  store: RoomStore,
  sessions: SessionStore,
  userSockets: UserSockets,
  config: Config,
  log: Logger,
): UpgradeEndpoint {
  const pathPrefix = '/signaling/'
  const server = createWebSocketServer(config.rooms.maxSignalingMessageBytes, config.heartbeatMs)

  const identify = async (roomId: string, url: URL, cookieHeader: string | undefined): Promise<SignalingIdentity | null> => {
    const credentials = upgradeCredentials(url, cookieHeader)
    const user = await sessions.resolve(loginToken(credentials))
    if (user) return { kind: 'user', user }
    return credentials.queryToken && (await store.isGuestLink(roomId, credentials.queryToken)) ? { kind: 'guest' } : null
  }

  /** Who may come in, decided before the upgrade completes (its reads are awaited), or the close a refused socket gets. */
  const admission = async (roomId: string | null, url: URL, cookieHeader: string | undefined): Promise<Admission> => {
    if (roomId === null) return { admitted: false, code: CloseCode.badRequest, reason: 'invalid room id: /signaling/<roomId> takes a UUID' }
    if (!(await store.room(roomId))) return { admitted: false, code: SignalingCloseCode.unknownRoom, reason: `no room ${roomId}` }
    const identity = await identify(roomId, url, cookieHeader)
    if (!identity) return { admitted: false, code: CloseCode.unauthenticated, reason: 'not allowed in: connect with ?token=<login token or guest link token>' }
    return { admitted: true, roomId, identity }
  }

  const accept = (ws: WebSocket, roomId: string, identity: SignalingIdentity): void => {
    const connection = rooms.connect(roomId, identity, {
      send: (text) => ws.readyState === ws.OPEN && ws.send(text),
      close: (code, reason) => ws.close(code, reason),
    })
    ws.on('message', (data: Buffer, isBinary) => connection.receive(data, isBinary))
    ws.on('close', (code) => connection.closed(code))
  }

  return {
    pathPrefix,
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
      admission(parseRoomId(url.pathname.slice(pathPrefix.length)), url, request.headers.cookie)
        .then((decided) => {
          if (socket.destroyed) return
          // The socket is wired in the upgrade's own turn, so no frame the client sends can be missed.
          server.upgrade(request, socket, head, (ws) => {
            server.accept(ws)
            ws.on('error', (error) => log.debug('signaling.ws_error', { error: error.message }))
            if (!decided.admitted) return ws.close(decided.code, decided.reason)
            const { roomId, identity } = decided
            // Guests have no account to count against; the room's guest link is what lets them in.
            if (identity.kind === 'user' && !userSockets.admit(ws, String(identity.user.id))) return
            accept(ws, roomId, identity)
          })
        })
        .catch((error: unknown) => {
          log.error('signaling.admission_failed', { error: String(error) })
          socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n')
        })
    },
    close: () => server.close(),
  }
}
