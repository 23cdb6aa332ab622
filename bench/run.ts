import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { type ColdLoadResult, coldLoadRepetitions, measureColdLoad } from './coldLoad.js'
import { fanoutReaders, measureFanoutLatency, type RepeatedLatencyResult, repeatedFanoutLatency } from './fanout.js'
import { idleDocs, type MemoryResult, measureIdleDocMemory } from './memory.js'
import { type BenchServer, startFolio, startReference, tmpRoot } from './servers.js'
import { fmt, printMachine, printTable, progress, ratio } from './table.js'
import { measureThroughput, type ThroughputResult, throughputWindow } from './throughput.js'
import { loadTrace, syntheticPatches, tracePath } from './trace.js'

/** `npm run bench`: every scenario against Folio and @y/websocket-server, results as tables on stdout. */
const fanoutRates = [500, 2_000]
const fanoutSeconds = 5
const fanoutRuns = 3
const throughputEdits = 20_000
const coldLoadEdits = 100_000

interface Pair<T> {
  folio: T
  reference: T
}

interface Bar {
  name: string
  target: string
  measured: string
  met: boolean
}

const runId = `run-${process.pid}-${Date.now()}`
const runDir = join(tmpRoot, runId)
mkdirSync(runDir, { recursive: true })
try {
  printMachine()
  const bars: Bar[] = [...(await fanoutAndThroughput()), ...coldLoad(), ...(await memory())]
  printTable(
    'Bars',
    ['bar', 'target', 'measured', 'met'],
    bars.map((bar) => [bar.name, bar.target, bar.measured, bar.met ? 'yes' : 'NO']),
  )
} finally {
  rmSync(runDir, { recursive: true, force: true })
}

/** Runs `measure` against a fresh Folio, then a fresh reference server: one at a time, so they never share the CPU. */
async function againstBoth<T>(scenario: string, measure: (server: BenchServer) => Promise<T>): Promise<Pair<T>> {
  const run = async (start: () => Promise<BenchServer>): Promise<T> => {
    const server = await start()
    progress(`${scenario}: ${server.label} (pid ${server.pid})`)
    try {
      return await measure(server)
    } finally {
      await server.stop()
    }
  }
  const folio = await run(() => startFolio(join(runDir, `folio-${scenario}.db`)))
  const reference = await run(startReference)
  return { folio, reference }
}

async function fanoutAndThroughput(): Promise<Bar[]> {
  const results = await againstBoth('fanout', async (server) => {
    let docs = 0
    const freshDoc = (): string => `${runId}-fanout-${docs++}`
    // A throwaway second so both servers are past JIT warm-up when measured.
    await measureFanoutLatency(server, freshDoc(), fanoutRates[0] ?? 500, 1)
    const latency: RepeatedLatencyResult[] = []
    for (const rate of fanoutRates) {
      progress(`${server.label}: ${rate} edits/s for ${fanoutSeconds} s to ${fanoutReaders} readers, ${fanoutRuns} times`)
      latency.push(await repeatedFanoutLatency(server, freshDoc, rate, fanoutSeconds, fanoutRuns))
    }
    progress(`${server.label}: ${fmt(throughputEdits)} edits as fast as delivered`)
    const throughput = await measureThroughput(server, freshDoc(), throughputEdits)
    return { latency, throughput }
  })

  const latencyRows: string[][] = []
  const bars: Bar[] = []
  results.folio.latency.forEach((folio, i) => {
    const reference = results.reference.latency[i] as RepeatedLatencyResult
    const range = (result: RepeatedLatencyResult): string => `${fmt(result.p99MinMs, 2)}-${fmt(result.p99MaxMs, 2)}`
    latencyRows.push(
      [`p50 @ ${fmt(folio.rate)}/s`, fmt(folio.p50Ms, 2), fmt(reference.p50Ms, 2), ratio(folio.p50Ms, reference.p50Ms)],
      [`p99 @ ${fmt(folio.rate)}/s`, fmt(folio.p99Ms, 2), fmt(reference.p99Ms, 2), ratio(folio.p99Ms, reference.p99Ms)],
      [`  p99 range of the runs`, range(folio), range(reference), ''],
    )
    bars.push({
      name: `fanout p99 @ ${fmt(folio.rate)}/s`,
      target: '<= 0.5x reference',
      measured: `${fmt(folio.p99Ms, 2)} vs ${fmt(reference.p99Ms, 2)} ms = ${ratio(folio.p99Ms, reference.p99Ms)}`,
      met: folio.p99Ms <= reference.p99Ms / 2,
    })
  })
  printTable(
    `Fanout latency, ms from send to the last of ${fanoutReaders} readers (1 writer; median of ${fanoutRuns} runs of ${fanoutSeconds} s per rate)`,
    ['', 'Folio', 'reference', 'Folio / ref'],
    latencyRows,
  )

  const folio: ThroughputResult = results.folio.throughput
  const reference: ThroughputResult = results.reference.throughput
  printTable(
    `Sustained throughput, ${fmt(throughputEdits)} edits to ${fanoutReaders} readers (at most ${fmt(throughputWindow)} in flight)`,
    ['', 'Folio', 'reference', 'Folio / ref'],
    [
      ['delivered updates/s', fmt(folio.deliveredPerSec), fmt(reference.deliveredPerSec), ratio(folio.deliveredPerSec, reference.deliveredPerSec)],
      ['persisted updates/s', fmt(folio.persistedPerSec ?? 0), 'n/a (persists nothing)', ''],
      ['rows stored / edits sent', `${fmt(folio.persistedRows ?? 0)} / ${fmt(folio.edits)}`, 'n/a', ''],
      ['elapsed s', fmt(folio.elapsedMs / 1000, 2), fmt(reference.elapsedMs / 1000, 2), ratio(folio.elapsedMs, reference.elapsedMs)],
    ],
  )
  bars.push({
    name: 'delivered updates/s',
    target: '>= 2x reference, persisting all',
    measured: `${fmt(folio.deliveredPerSec)} vs ${fmt(reference.deliveredPerSec)} = ${ratio(folio.deliveredPerSec, reference.deliveredPerSec)}, ${fmt(folio.persistedRows ?? 0)}/${fmt(folio.edits)} stored`,
    met: folio.deliveredPerSec >= 2 * reference.deliveredPerSec && folio.persistedRows === folio.edits,
  })
  return bars
}

function coldLoad(): Bar[] {
  const trace = loadTrace()
  const histories: Array<{ name: string; run: () => ColdLoadResult }> = []
  if (trace) {
    histories.push(
      { name: `automerge-paper, first ${fmt(coldLoadEdits)} edits`, run: () => measureColdLoad(join(runDir, 'coldload-trace-100k.db'), trace.patches.slice(0, coldLoadEdits), null) },
      { name: `automerge-paper, all ${fmt(trace.patches.length)} edits`, run: () => measureColdLoad(join(runDir, 'coldload-trace-full.db'), trace.patches, trace.endContent) },
    )
  } else {
    progress(`cold load: ${tracePath} not found; using a synthetic ${fmt(coldLoadEdits)}-edit history and skipping the full-trace row`)
    histories.push({ name: `synthetic, ${fmt(coldLoadEdits)} single-char inserts`, run: () => measureColdLoad(join(runDir, 'coldload-synthetic.db'), syntheticPatches(coldLoadEdits), null) })
  }

  const rows: string[][] = []
  const bars: Bar[] = []
  for (const history of histories) {
    progress(`cold load: ${history.name}`)
    const result = history.run()
    for (const [variant, ms] of [
      ['clean (final checkpoint)', result.cleanMs],
      ['after crash (499-update tail)', result.crashMs],
    ] as const) {
      const name = `${history.name}, ${variant}`
      rows.push([name, fmt(result.stateBytes / 1024), fmt(ms, 2), fmt(result.bareMs, 2), ratio(ms, result.bareMs), 'n/a (persists nothing)'])
      bars.push({ name: `cold load: ${name}`, target: '<= 1.2x bare', measured: `${fmt(ms, 2)} vs ${fmt(result.bareMs, 2)} ms = ${ratio(ms, result.bareMs)}`, met: ms <= 1.2 * result.bareMs })
    }
  }
  printTable(
    `Cold load, median ms of ${coldLoadRepetitions}: store.load + new LiveDoc vs bare Y.applyUpdate of the same state`,
    ['history', 'state KB', 'Folio load', 'bare applyUpdate', 'load / bare', 'reference'],
    rows,
  )
  return bars
}

async function memory(): Promise<Bar[]> {
  const results: Pair<MemoryResult> = await againstBoth('memory', (server) => measureIdleDocMemory(server, `${runId}-idle`))
  const { folio, reference } = results
  const mb = (kb: number): string => fmt(kb / 1024, 1)
  printTable(
    `Memory per idle loaded doc (${idleDocs} docs of ~2 KB text, one open connection each; server VmRSS)`,
    ['', 'Folio', 'reference', 'Folio / ref'],
    [
      ['RSS before (MB)', mb(folio.beforeKb), mb(reference.beforeKb), ''],
      ['RSS after (MB)', mb(folio.afterKb), mb(reference.afterKb), ''],
      ['KB per idle doc', fmt(folio.perDocKb, 1), fmt(reference.perDocKb, 1), ratio(folio.perDocKb, reference.perDocKb)],
    ],
  )
  return [
    {
      name: 'memory per idle doc',
      target: '<= reference',
      measured: `${fmt(folio.perDocKb, 1)} vs ${fmt(reference.perDocKb, 1)} KB = ${ratio(folio.perDocKb, reference.perDocKb)}`,
      met: folio.perDocKb <= reference.perDocKb,
    },
  ]
}
