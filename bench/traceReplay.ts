import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type BenchServer, startFolio, startHocuspocus, startReference, tmpRoot } from './servers.js'
import { fmt, printMachine, printTable, progress } from './table.js'
import { loadTrace, tracePath } from './trace.js'
import { replayTrace, type TraceReplayResult } from './traceRun.js'

/**
 * `npm run bench:trace [-- --timeout-s 180 --servers folio,reference,hocuspocus]`: the
 * automerge-paper trace sent by one client as fast as it can, against each server in turn (never
 * two at once). Per server: ingest edits/s until a second client has the final text, the worst
 * stall a probe client felt, whether every update was stored, whether every client stayed connected.
 */
const { values } = parseArgs({
  options: {
    'timeout-s': { type: 'string', default: '180' },
    servers: { type: 'string', default: 'folio,reference,hocuspocus' },
  },
})
const timeoutMs = Number(values['timeout-s']) * 1000
if (!(timeoutMs > 0)) throw new Error(`--timeout-s must be a positive number of seconds, not ${values['timeout-s']}`)
if (!loadTrace()) {
  process.stderr.write(`the trace replay needs ${tracePath}; it is not there\n`)
  process.exit(1)
}

const runId = `trace-${process.pid}-${Date.now()}`
const runDir = join(tmpRoot, runId)
const starters: Record<string, () => Promise<BenchServer>> = {
  folio: () => startFolio(join(runDir, 'folio.db')),
  reference: startReference,
  hocuspocus: startHocuspocus,
}
const chosen = values.servers.split(',').map((name) => {
  const start = starters[name.trim()]
  if (!start) throw new Error(`unknown server '${name}'; choose from ${Object.keys(starters).join(', ')}`)
  return start
})

mkdirSync(runDir, { recursive: true })
try {
  printMachine()
  const results: TraceReplayResult[] = []
  for (const start of chosen) {
    const server = await start()
    progress(`trace replay: ${server.label} (pid ${server.pid})`)
    try {
      const result = await replayTrace(server, `${runId}-doc`, timeoutMs)
      progress(`${server.label}: ${result.failure ?? 'done'}`)
      results.push(result)
    } finally {
      await server.stop()
    }
  }
  printTable(
    `Trace replay: ${fmt(results[0]?.transactions ?? 0)} transactions sent back to back by one client, until a second client has endContent`,
    ['server', 'ingest edits/s', 'elapsed s', 'send loop s', 'worst stall ms', 'probe samples', 'every update stored', 'every client connected'],
    results.map((r) => [
      r.server,
      r.failure === null ? fmt(r.ingestPerSec ?? 0) : `failed: ${r.failure}`,
      r.elapsedMs === null ? '-' : fmt(r.elapsedMs / 1000, 2),
      r.sendMs === null ? '-' : fmt(r.sendMs / 1000, 2),
      fmt(r.probe.maxRttMs, 1),
      fmt(r.probe.samples),
      r.storedRows === null ? 'not stored' : `${r.storedRows === r.transactions ? 'yes' : 'NO'}: ${fmt(r.storedRows)} of ${fmt(r.transactions)} rows`,
      r.lost.length === 0 ? 'yes' : `NO: ${r.lost.join('; ')}`,
    ]),
  )
} finally {
  rmSync(runDir, { recursive: true, force: true })
}
