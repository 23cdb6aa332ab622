import { Hono } from 'hono'
import type { SyncEngine } from '../sync/index.js'

/** The HTTP routes. Later issues add auth and RPC here. */
export function createApp(engine: SyncEngine): Hono {
  const app = new Hono()
  app.get('/health', (c) =>
    c.json({ status: 'ok', loadedDocs: engine.registry.loadedCount, connections: engine.connectionCount }),
  )
  return app
}
