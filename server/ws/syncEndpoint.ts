import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import type { Authorize, ConnectionGrant, Logger, SyncEngine, UpgradeCredentials } from '../../sync/index.js'
import { upgradeCredentials } from '../auth/index.js'
import type { Config } from '../config.js'
import { grantFor, joinDoc } from './joinDoc.js'
import type { UserSockets } from './UserSockets.js'
import { createWebSocketServer, type UpgradeEndpoint } from './websockets.js'

/** `ws://host/sync/<docName>?token=…`: authorizes at the upgrade, then hands the socket to the engine. */
export function createSyncEndpoint(engine: SyncEngine, authorize: Authorize, userSockets: UserSockets, config: Config, log: Logger): UpgradeEndpoint {
  const pathPrefix = '/sync/'
  const server = createWebSocketServer(config.maxMessageBytes, config.heartbeatMs)

  const accept = (ws: WebSocket, docName: string | null, grant: ConnectionGrant | null, credentials: UpgradeCredentials): void => {
    server.accept(ws)
    ws.on('error', (error) => log.debug('sync.ws_error', { error: error.message }))
    // Decided again, from the same credentials, whenever access may have changed (see LiveAccess).
    const recheck = (name: string) => authorize(name, credentials)
    const connection = joinDoc({ engine, log }, ws, docName, grant, recheck, (userId, name) => userSockets.admit(ws, userId, name))
    if (connection) ws.on('message', (data: Buffer, isBinary) => connection.receive(data, isBinary))
  }

  return {
    pathPrefix,
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
      const docName = decodeDocName(url.pathname.slice(pathPrefix.length))
      const credentials = upgradeCredentials(url, request.headers.cookie)
      grantFor(authorize, docName, credentials)
        .then((grant) => {
          if (socket.destroyed) return
          server.upgrade(request, socket, head, (ws) => accept(ws, docName, grant, credentials))
        })
        .catch((error: unknown) => {
          log.error('sync.authorize_failed', { error: String(error) })
          socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n')
        })
    },
    close: () => server.close(),
  }
}

function decodeDocName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded)
  } catch {
    return null
  }
}
