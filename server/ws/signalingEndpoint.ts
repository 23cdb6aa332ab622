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

  const identify = (roomId: string, url: URL, cookieHeader: string | undefined): SignalingIdentity | null => {
    const credentials = upgradeCredentials(url, cookieHeader)
    const user = sessions.resolve(loginToken(credentials))
    if (user) return { kind: 'user', user }
    return credentials.queryToken && store.isGuestLink(roomId, credentials.queryToken) ? { kind: 'guest' } : null
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
      const roomId = parseRoomId(url.pathname.slice(pathPrefix.length))
      server.upgrade(request, socket, head, (ws) => {
        server.accept(ws)
        ws.on('error', (error) => log.debug('signaling.ws_error', { error: error.message }))
        if (roomId === null) return ws.close(CloseCode.badRequest, 'invalid room id: /signaling/<roomId> takes a UUID')
        if (!store.room(roomId)) return ws.close(SignalingCloseCode.unknownRoom, `no room ${roomId}`)
        const identity = identify(roomId, url, request.headers.cookie)
        if (!identity) return ws.close(CloseCode.unauthenticated, 'not allowed in: connect with ?token=<login token or guest link token>')
        // Guests have no account to count against; the room's guest link is what lets them in.
        if (identity.kind === 'user' && !userSockets.admit(ws, String(identity.user.id))) return
        accept(ws, roomId, identity)
      })
    },
    close: () => server.close(),
  }
}
