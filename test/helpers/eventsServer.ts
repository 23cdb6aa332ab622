import { afterEach, beforeEach } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, registerAndLogin } from './accounts.js'
import { EventsConnection } from './events.js'
import { startTestServer, tempDir } from './server.js'

/**
 * A fresh server for each test of the calling `describe`, and events sockets that close with
 * it: `connectUser` registers and signs in, `connectAdmin` signs in the admin.
 */
export function useEventsServer() {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let connections: EventsConnection[] = []

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    connections = []
  })
  afterEach(async () => {
    for (const connection of connections) connection.ws.close()
    await server.close()
    tmp.remove()
  })

  const connect = async (token: string) => {
    const connection = await EventsConnection.open(server, token)
    connections.push(connection)
    return connection
  }
  return {
    get server() {
      return server
    },
    get dbPath() {
      return tmp.dbPath
    },
    connectAdmin: async () => connect(await login(server.url, 'admin', adminPassword)),
    connectUser: async (userName: string) => {
      const { token, userId } = await registerAndLogin(server.url, userName)
      return { events: await connect(token), token, userId }
    },
  }
}
