import WebSocket from 'ws'
import { type ClientOptions, createClient, type FolioClient } from '../../clients/index.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, registerAndLogin } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'

export { waitFor } from '../helpers/clients.js'

/** Fast reconnects, so tests that drop sockets need not wait long. */
export const fastReconnect = { baseMs: 20, maxMs: 200 }

/** A running server, the clients made for it, and cleanup of both. */
export interface Harness {
  server: FolioServer
  dbPath: string
  /** A client of the current server with the `ws` package and fast reconnects; closed by `stop()`. */
  client(options?: Partial<ClientOptions>): FolioClient
  /** A client signed in as admin, with its events socket open. */
  admin(options?: Partial<ClientOptions>): Promise<FolioClient>
  /** Registers `userName` and returns a client signed in as them, with its events socket open. */
  user(userName: string, options?: Partial<ClientOptions>): Promise<FolioClient>
  /** Stops the server and starts a new one on the same port and database. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** A harness whose server starts (and restarts) with `env` over the test defaults. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const tmp = tempDir()
  const clients: FolioClient[] = []
  const harness: Harness = {
    server: await startTestServer(tmp.dbPath, env),
    dbPath: tmp.dbPath,
    client(options = {}) {
      const client = createClient({ url: harness.server.url, WebSocket, reconnect: fastReconnect, ...options })
      clients.push(client)
      return client
    },
    async admin(options) {
      const client = harness.client(options)
      await client.login('admin', adminPassword)
      await client.whenConnected(5_000)
      return client
    },
    async user(userName, options) {
      await registerAndLogin(harness.server.url, userName)
      const client = harness.client(options)
      await client.login(userName, `${userName}-password`)
      await client.whenConnected(5_000)
      return client
    },
    async restart() {
      const port = harness.server.port
      await harness.server.close()
      harness.server = await startTestServer(tmp.dbPath, { ...env, PORT: String(port) })
    },
    async stop() {
      for (const client of clients) client.close()
      await harness.server.close()
      tmp.remove()
    },
  }
  return harness
}

/** Records every value a callback gets; `last` is the latest. */
export function recorder<T>(): { calls: T[]; readonly last: T | undefined; cb: (value: T) => void } {
  const calls: T[] = []
  return {
    calls,
    get last() {
      return calls.at(-1)
    },
    cb: (value: T) => void calls.push(value),
  }
}

/** A WebSocket that never connects: the client then has no events socket and calls go over HTTP. */
export class NeverOpenWebSocket {
  readonly readyState = 0
  onopen = null
  onmessage = null
  onclose = null
  onerror = null
  send(): void {
    throw new Error('not open')
  }
  close(): void {}
}
