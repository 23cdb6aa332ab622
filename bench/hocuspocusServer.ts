import { Server } from '@hocuspocus/server'

/**
 * The Hocuspocus peer of the trace replay, as its docs start one: no extensions, so documents live
 * in memory and nothing is stored. Run as a child process (servers.ts) on HOST:PORT (0 = a free port).
 */
const server = new Server({ address: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0), quiet: true })
await server.listen()
process.stdout.write(`Hocuspocus listening on port ${server.address.port}\n`)
