import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startFolio, tmpRoot } from './servers.js'
import { quantile } from './stats.js'
import { fmt, printMachine, printTable, progress } from './table.js'

/**
 * `npm run bench:rpc`: transactional RPC writes over the events websocket. Each client sends
 * `documentCreate` (one insert in a transaction, then a `documentRefresh` push) back to back,
 * one call in flight per socket; the table gives calls per second and the latency of a call.
 */
const concurrencies = [1, 16]
const callsPerRun = 6_000
const warmupCalls = 500

interface RunResult {
  clients: number
  callsPerSecond: number
  p50Ms: number
  p99Ms: number
}

/** One events socket with one call in flight at a time. */
class EventsClient {
  private nextId = 0
  private pending: ((answer: { success: boolean; message?: string }) => void) | null = null

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { id?: number | null; success?: boolean; message?: string }
      // Pushes (documentRefresh) carry no id; answers carry the call's.
      if (typeof frame.id !== 'number' || !this.pending) return
      const settle = this.pending
      this.pending = null
      settle({ success: frame.success === true, message: frame.message })
    })
  }

  static open(url: string): Promise<EventsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.once('open', () => resolve(new EventsClient(ws)))
      ws.once('error', reject)
    })
  }

  call(event: string, data: unknown): Promise<{ success: boolean; message?: string }> {
    return new Promise((resolve) => {
      this.pending = resolve
      this.ws.send(JSON.stringify({ id: ++this.nextId, event, data }))
    })
  }

  close(): void {
    this.ws.close()
  }
}

async function run(eventsUrl: string, clients: number, calls: number): Promise<RunResult> {
  const sockets = await Promise.all(Array.from({ length: clients }, () => EventsClient.open(eventsUrl)))
  const latencies: number[] = []
  let left = calls
  const started = performance.now()
  await Promise.all(
    sockets.map(async (socket, index) => {
      while (left > 0) {
        left--
        const sent = performance.now()
        const answer = await socket.call('documentCreate', { name: `bench ${index}-${left}` })
        if (!answer.success) throw new Error(`documentCreate failed: ${answer.message}`)
        latencies.push(performance.now() - sent)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  for (const socket of sockets) socket.close()
  const sorted = Float64Array.from(latencies).sort()
  return { clients, callsPerSecond: calls / seconds, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99) }
}

const dir = join(tmpRoot, `rpc-${process.pid}`)
mkdirSync(dir, { recursive: true })
try {
  printMachine()
  const server = await startFolio(join(dir, 'folio.db'))
  try {
    // The sync address carries the admin's token; the events socket takes the same one.
    const syncUrl = new URL(server.address('bench').url)
    const eventsUrl = `ws://${syncUrl.host}/events${syncUrl.search}`
    await run(eventsUrl, 1, warmupCalls)
    const results: RunResult[] = []
    for (const clients of concurrencies) {
      progress(`rpc: ${callsPerRun} documentCreate calls over ${clients} events socket(s)`)
      results.push(await run(eventsUrl, clients, callsPerRun))
    }
    printTable(
      'Transactional RPC (documentCreate over the events websocket)',
      ['sockets', 'calls/s', 'p50 ms', 'p99 ms'],
      results.map((r) => [String(r.clients), fmt(r.callsPerSecond), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2)]),
    )
  } finally {
    await server.stop()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
