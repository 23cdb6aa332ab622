import { ConfigError, loadConfig, type Config } from './config.js'
import { startServer } from './startServer.js'

/**
 * `npm start`: serve until SIGTERM or SIGINT, then store everything and exit 0. It must be the
 * process that receives the signal (`npm start` execs it in place of the shell): a launcher in
 * between can kill it before its final flush.
 */
function cannotStart(reason: string): never {
  process.stderr.write(`Folio cannot start: ${reason}\n`)
  process.exit(1)
}

/** What a failed listen means for whoever started the server, or null for any other failure. */
function listenFailure(error: unknown, { host, port }: Config): string | null {
  const { code, syscall } = error as NodeJS.ErrnoException
  if (code === 'EADDRINUSE') return `port ${port} on ${host} is in use; set PORT to another port`
  if (syscall === 'listen') return `cannot listen on ${host}:${port} (${code}); set HOST and PORT to an address this machine may serve`
  return null
}

const config = (() => {
  try {
    return loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    cannotStart(error.message)
  }
})()
const server = await startServer(config).catch((error: unknown) => {
  const reason = listenFailure(error, config)
  if (reason === null) throw error
  return cannotStart(reason)
})
process.stdout.write(`Folio listening on ${server.url} (database ${config.dbPath})\n`)

let stopping: Promise<void> | null = null
const stop = (): void => {
  stopping ??= server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`Folio shutdown failed: ${String(error)}\n`)
      process.exit(1)
    },
  )
}
// Listening for good, not once: Ctrl-C under `npm start` delivers SIGINT twice (from the terminal and
// relayed by npm), and without a listener the second would kill the process in the middle of its flush.
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
