import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { adminPassword, login } from '../test/helpers/accounts.js'
import { spawnServer, syncUrl } from '../test/helpers/server.js'
import { type FuzzReport, fuzzServer, type Mismatch } from './fuzzRun.js'
import { tmpRoot } from './servers.js'
import { fmt, printMachine, printTable, progress } from './table.js'

/**
 * `npm run bench:fuzz [-- --frames 1000000 --seed n]`: fuzzed y-websocket frames (bench/fuzzFrames.ts)
 * against a Folio server process, checked as in test/sync/fuzz.test.ts. A failed run (a crash, a
 * hang, a dropped bystander) ends that server: the bench notes it, starts a fresh server on a
 * fresh database and goes on, so that one failure does not hide the rest. Exits 1 on any failure.
 */
const { values } = parseArgs({ options: { frames: { type: 'string', default: '1000000' }, seed: { type: 'string' } } })
const frames = Number(values.frames)
if (!Number.isInteger(frames) || frames < 1) throw new Error(`--frames must be a positive integer, not ${values.frames}`)
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed)

const dir = join(tmpRoot, `fuzz-${process.pid}`)
const reports: FuzzReport[] = []
const start = performance.now()
printMachine()
progress(`fuzz: ${fmt(frames)} frames, seed ${seed}`)
try {
  for (let sent = 0, docs = 0; sent < frames; ) {
    const serverDir = join(dir, `server-${reports.length}`)
    mkdirSync(serverDir, { recursive: true })
    const dbPath = join(serverDir, 'folio.db')
    const server = await spawnServer(dbPath)
    try {
      const token = await login(server.url, 'admin', adminPassword)
      // Seeds go on from the docs already fuzzed, so that a restart does not repeat them.
      const onDoc = (soFar: FuzzReport): void => {
        if (soFar.docs % 50 === 0) progress(`${fmt(sent + soFar.frames)} frames, ${fmt(soFar.mismatches.length)} of ${fmt(soFar.docs)} docs of this server differ from the store`)
      }
      const report = await fuzzServer({ server, dbPath, syncUrl: syncUrl(server), token, docPrefix: `fuzz-${reports.length}` }, frames - sent, seed + docs, onDoc)
      reports.push(report)
      sent += report.frames
      docs += report.docs
      progress(`${fmt(sent)} frames, ${fmt(report.mismatches.length)} of ${fmt(report.docs)} docs differ from the store${report.failure ? `; failed: ${report.failure.split('\n')[0]}` : ''}`)
    } finally {
      server.child.kill('SIGKILL')
      await server.exited
      rmSync(serverDir, { recursive: true, force: true })
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const sum = (of: (report: FuzzReport) => number): number => reports.reduce((total, report) => total + of(report), 0)
const outcomes = new Map<string, number>()
for (const report of reports) for (const [outcome, count] of report.outcomes) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + count)
const mismatches: Mismatch[] = reports.flatMap((report) => report.mismatches)
const failures = reports.flatMap((report) => (report.failure ? [report.failure] : []))
const byKind = new Map<string, Mismatch[]>()
for (const mismatch of mismatches) byKind.set(mismatch.kind, [...(byKind.get(mismatch.kind) ?? []), mismatch])

printTable(`Fuzz: ${fmt(sum((r) => r.frames))} frames on ${fmt(sum((r) => r.connections))} connections to ${fmt(sum((r) => r.docs))} docs, seed ${seed}`, ['', ''], [
  ['server processes', fmt(reports.length)],
  ['failed runs (crash, hang, bystander dropped)', fmt(failures.length)],
  ...[...outcomes]
    .sort(([, a], [, b]) => b - a)
    .map(([outcome, count]): [string, string] => [outcome === 'open' ? 'connections answered, kept open' : `connections closed with ${outcome}`, fmt(count)]),
  ['reference client round trips', fmt(sum((r) => r.probeSamples))],
  ['worst reference round trip', `${fmt(Math.max(...reports.map((r) => r.probeWorstMs)), 1)} ms`],
  ...[...byKind].map(([kind, list]): [string, string] => [`docs whose fresh client differs from the store: ${kind}`, fmt(list.length)]),
  ['elapsed', `${fmt((performance.now() - start) / 1000, 1)} s`],
])
for (const failure of failures.slice(0, 5)) process.stdout.write(`\nfailed run: ${failure.split('\n').slice(0, 3).join(' | ')}\n`)
for (const [kind, list] of byKind) for (const mismatch of list.slice(0, 2)) process.stdout.write(`\n${kind}, ${mismatch.doc}: ${mismatch.detail}\n`)
if (failures.length > 0 || mismatches.length > 0) process.exitCode = 1
