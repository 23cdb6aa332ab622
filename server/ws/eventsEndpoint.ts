import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import { z } from 'zod'
import type { EventsAnswer, EventsCall, EventsPush } from '../../schema/index.js'
import { CloseCode, type Logger } from '../../sync/index.js'
import type { SessionStore } from '../auth/index.js'
import { loginToken, upgradeCredentials } from '../auth/index.js'
import type { Config } from '../config.js'
import { type EventClient, type EventHub, endSession } from '../events/index.js'
import type { RpcRegistry } from '../rpc/index.js'
import type { UserSockets } from './UserSockets.js'
import { createWebSocketServer, type UpgradeEndpoint } from './websockets.js'

const callFrame = z.object({
  id: z.union([z.string().max(100), z.number()]),
  event: z.string().min(1).max(100),
  data: z.unknown().optional(),
}) satisfies z.ZodType<EventsCall>

/**
 * `ws://host/events?token=…`: the client's live channel. Frames `{id, event, data}` are RPC
 * calls (`EventsCall`) answered with `{id, success, data | message}` (`EventsAnswer`); pushes are
 * `{event, data}` (`EventsPush`).
 */
export function createEventsEndpoint(
  rpc: RpcRegistry,
  sessions: SessionStore,
  hub: EventHub,
  userSockets: UserSockets,
  config: Config,
  log: Logger,
): UpgradeEndpoint {
  const server = createWebSocketServer(config.maxMessageBytes, config.heartbeatMs)

  /** One frame of `client`'s socket: a call, answered with its id; a frame that is not one gets an answer without. */
  const receive = async (ws: WebSocket, client: EventClient, raw: Buffer, isBinary: boolean): Promise<void> => {
    const answer = (frame: EventsAnswer) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame))
    if (isBinary) return void answer({ id: null, success: false, message: 'send JSON text frames: {id, event, data}' })
    let value: unknown
    try {
      value = JSON.parse(raw.toString())
    } catch {
      return void answer({ id: null, success: false, message: 'invalid JSON' })
    }
    const frame = callFrame.safeParse(value)
    if (!frame.success) {
      const id = (value as { id?: unknown } | null)?.id
      return void answer({ id: typeof id === 'string' || typeof id === 'number' ? id : null, success: false, message: 'invalid frame: expected {id, event, data}' })
    }
    const parsed = frame.data
    const user = await client.currentUser()
    if (!user) {
      answer({ id: parsed.id, success: false, message: 'not logged in: the token expired or was revoked' })
      endSession(client)
      return
    }
    const { answer: result } = await rpc.call(parsed.event, parsed.data, { user, client })
    answer({ id: parsed.id, ...result })
  }

  const accept = (ws: WebSocket, token: string, userId: number): void => {
    server.accept(ws)
    ws.on('error', (error) => log.debug('events.ws_error', { error: error.message }))
    if (!userSockets.admit(ws, String(userId))) return
    const client: EventClient = {
      id: randomUUID(),
      currentUser: () => sessions.resolve(token),
      end: (code, reason) => ws.close(code, reason),
      send: (event, data) => {
        const push: EventsPush = { event, data }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(push))
      },
    }
    hub.add(client)
    ws.on('close', () => hub.remove(client))
    ws.on('message', (raw: Buffer, isBinary) => {
      receive(ws, client, raw, isBinary).catch((error: unknown) => log.error('events.frame_failed', { error: String(error) }))
    })
  }

  return {
    pathPrefix: '/events',
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
      const token = loginToken(upgradeCredentials(url, request.headers.cookie))
      sessions
        .resolve(token)
        .then((user) => {
          if (socket.destroyed) return
          server.upgrade(request, socket, head, (ws) => {
            if (!user || !token) {
              server.accept(ws)
              ws.close(CloseCode.unauthenticated, 'not logged in: connect with ?token=<login token>')
              return
            }
            accept(ws, token, user.id)
          })
        })
        .catch((error: unknown) => {
          log.error('events.authorize_failed', { error: String(error) })
          socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n')
        })
    },
    close: () => server.close(),
  }
}
