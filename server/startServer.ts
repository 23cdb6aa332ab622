import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { openDatabase, SqliteDocStore, SyncEngine } from '../sync/index.js'
import { createApp } from './app.js'
import { createDevAuthorize } from './auth/index.js'
import type { Config } from './config.js'
import { createLogger } from './logger.js'
import { attachSyncEndpoint } from './syncEndpoint.js'

/** A running Folio server. */
export interface FolioServer {
  /** `http://host:port`, with the port actually bound (config port 0 picks a free one). */
  url: string
  port: number
  engine: SyncEngine
  /** Stores every live document, closes connections as going away, and closes the database. Idempotent. */
  close(): Promise<void>
}

/** Opens the database (applying migrations) and serves HTTP and the sync endpoint. */
export async function startServer(config: Config): Promise<FolioServer> {
  const log = createLogger(config.logLevel)
  const store = new SqliteDocStore(openDatabase(config.dbPath, config.dbSynchronous))
  const engine = new SyncEngine(store, config.sync, log)
  const app = createApp(engine)

  const httpServer = await new Promise<Server>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(server as Server))
  })
  const stopSync = attachSyncEndpoint(httpServer, engine, createDevAuthorize(config.devAccess), config, log)
  const { port } = httpServer.address() as AddressInfo
  log.info('server.started', { host: config.host, port, db: config.dbPath })

  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      engine.shutdown()
      stopSync()
      httpServer.closeAllConnections()
      await stopped
      store.close()
      log.info('server.stopped', {})
    })())

  return { url: `http://${config.host}:${port}`, port, engine, close }
}
