import { loadConfig } from './config.js'
import { startServer } from './startServer.js'

/** `npm start`: serve until SIGTERM or SIGINT, then store everything and exit 0. */
const config = loadConfig()
const server = await startServer(config)
process.stdout.write(`Folio listening on ${server.url} (database ${config.dbPath})\n`)

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  })
}
