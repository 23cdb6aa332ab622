import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { adminPassword, login } from '../test/helpers/accounts.js'
import { spawnServer, syncUrl } from '../test/helpers/server.js'
import { fuzzServer } from './fuzzRun.js'
import { tmpRoot } from './servers.js'
import { fmt, printMachine, printTable, progress } from './table.js'

/**
 * `npm run bench:fuzz [-- --frames 1000000 --seed n]`: fuzzed y-websocket frames (bench/fuzzFrames.ts)
 * against a Folio server process, checked as in test/sync/fuzz.test.ts. Exits 1 on a failure.
 */
const { values } = parseArgs({ options: { frames: { type: 'string', default: '1000000' }, seed: { type: 'string' } } })
const frames = Number(values.frames)
if (!Number.isInteger(frames) || frames < 1) throw new Error(`--frames must be a positive integer, not ${values.frames}`)
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed)

const dir = join(tmpRoot, `fuzz-${process.pid}`)
mkdirSync(dir, { recursive: true })
const dbPath = join(dir, 'folio.db')
printMachine()
const server = await spawnServer(dbPath)
const start = performance.now()
try {
  progress(`fuzz: ${fmt(frames)} frames, seed ${seed}, server pid ${server.child.pid}`)
  const token = await login(server.url, 'admin', adminPassword)
  const report = await fuzzServer({ server, dbPath, syncUrl: syncUrl(server), token, docPrefix: 'fuzz' }, frames, seed)
  const alive = server.child.exitCode === null && server.child.signalCode === null
  const outcomes = [...report.outcomes].sort(([, a], [, b]) => b - a)
  printTable(`Fuzz: ${fmt(report.frames)} frames on ${fmt(report.connections)} connections to ${fmt(report.docs)} docs, seed ${seed}`, ['', ''], [
    ['server process', alive ? 'alive' : `ended (${server.child.exitCode ?? server.child.signalCode})`],
    ...outcomes.map(([outcome, count]): [string, string] => [outcome === 'open' ? 'connections answered, kept open' : `connections closed with ${outcome}`, fmt(count)]),
    ['reference client round trips', fmt(report.probeSamples)],
    ['worst reference round trip', `${fmt(report.probeWorstMs, 1)} ms`],
    ['failed run', report.failure === null ? 'none' : 'yes, below'],
    ['docs whose fresh client differs from the store', `${fmt(report.mismatches.length)} of ${fmt(report.docs)}`],
    ['elapsed', `${fmt((performance.now() - start) / 1000, 1)} s`],
  ])
  for (const line of [report.failure, ...report.mismatches]) if (line !== null) process.stdout.write(`\n${line}\n`)
  if (report.failure !== null || report.mismatches.length > 0) process.exitCode = 1
} finally {
  server.child.kill('SIGKILL')
  await server.exited
  rmSync(dir, { recursive: true, force: true })
}
