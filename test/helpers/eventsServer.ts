import { afterEach, beforeEach } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, registerAndLogin } from './accounts.js'
import { EventsConnection } from './events.js'
import { startTestServer, tempDir } from './server.js'

/**
 * A fresh server for each test of the calling `describe` (started with `env` over the test
 * defaults), and events sockets that close with it: `connect` opens one with a token,
 * `connectUser` registers and signs in, `connectAdmin` signs in the admin.
 */
export function useEventsServer(env: Record<string, string> = {}) {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let connections: EventsConnection[] = []

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, env)
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
    /** The server's data folder (the database file, the file store). */
    get dir() {
      return tmp.dir
    },
    connect,
    connectAdmin: async () => connect(await login(server.url, 'admin', adminPassword)),
    connectUser: async (userName: string) => {
      const { token, userId } = await registerAndLogin(server.url, userName)
      return { events: await connect(token), token, userId }
    },
  }
}
