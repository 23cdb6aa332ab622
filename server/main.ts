import { ConfigError, loadConfig } from './config.js'
import { startServer } from './startServer.js'

/** `npm start`: serve until SIGTERM or SIGINT, then store everything and exit 0. */
const config = (() => {
  try {
    return loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`Folio cannot start: ${error.message}\n`)
    process.exit(1)
  }
})()
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
