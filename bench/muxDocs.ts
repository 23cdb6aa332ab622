// `npm run bench:mux`: one SDK client opens 1,000 docs over the /mux socket, then over one /sync
// socket per doc, each against a fresh Folio: time until all are synced, server and client memory.
import { fork } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { repoRoot, rssKb, startFolio, tmpRoot } from './servers.js'
import { fmt, printMachine, printTable, progress } from './table.js'

const docs = Number(process.env.BENCH_MUX_DOCS ?? 1_000)
const runs = Number(process.env.BENCH_MUX_RUNS ?? 3)
/** Limits above what one client opens here (the defaults keep an account to 64 docs, 128 sockets). */
const limits = { FOLIO_MAX_DOCS_PER_USER: String(docs * 2), FOLIO_MAX_SOCKETS_PER_USER: String(docs * 2), FOLIO_MAX_DOCS_PER_MUX_SOCKET: String(docs * 2) }

interface Result {
  syncMs: number
  serverBeforeKb: number
  serverAfterKb: number
  clientRssKb: number
  clientHeapKb: number
}

async function measure(multiplex: boolean, run: number): Promise<Result> {
  const dir = join(tmpRoot, `mux-${process.pid}-${multiplex}-${run}`)
  mkdirSync(dir, { recursive: true })
  const server = await startFolio(join(dir, 'folio.db'), limits)
  try {
    const address = new URL(server.address('x').url)
    const token = address.searchParams.get('token')!
    await sleep(1_000)
    const serverBeforeKb = rssKb(server.pid)
    const child = fork(join(repoRoot, 'bench', 'muxDocsClient.ts'), [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, FOLIO_URL: `http://${address.host}`, FOLIO_TOKEN: token, DOCS: String(docs), MULTIPLEX: String(multiplex), RUN_ID: `r${run}` },
    })
    const report = await new Promise<{ syncMs: number; rssKb: number; heapUsedKb: number }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as never))
      child.once('exit', (code) => reject(new Error(`the bench client exited with ${code} before reporting`)))
    })
    const serverAfterKb = rssKb(server.pid)
    child.send({ type: 'stop' })
    await new Promise((resolve) => child.once('exit', resolve))
    return { syncMs: report.syncMs, serverBeforeKb, serverAfterKb, clientRssKb: report.rssKb, clientHeapKb: report.heapUsedKb }
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}


printMachine()
const rows: string[][] = []
for (const multiplex of [true, false]) {
  const results: Result[] = []
  for (let run = 0; run < runs; run++) {
    progress(`${multiplex ? '/mux' : '/sync per doc'}: run ${run + 1} of ${runs}, ${docs} docs`)
    results.push(await measure(multiplex, run))
  }
  // Every run's figure, in order: on a shared machine their spread says more than one summary.
  const of = (pick: (result: Result) => number) => results.map((result) => fmt(pick(result))).join(' / ')
  rows.push([
    multiplex ? 'one /mux socket' : `${docs} /sync sockets`,
    of((r) => r.syncMs),
    of((r) => (r.serverAfterKb - r.serverBeforeKb) / 1024),
    of((r) => r.clientRssKb / 1024),
    of((r) => r.clientHeapKb / 1024),
  ])
}
printTable(`${docs} docs opened by one SDK client (each run, in order)`, ['transport', 'all synced (ms)', 'server RSS growth (MB)', 'client RSS (MB)', 'client heap (MB)'], rows)
