import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DocHistory, SqliteDocStore, SqliteHistoryStore } from '../sync/index.js'
import { openDatabase } from '../schema/db/index.js'
import { crashedDoc, storeHistory } from './coldLoad.js'
import { tmpRoot } from './servers.js'
import { quantile } from './stats.js'
import { loadTrace, tracePath } from './trace.js'

/**
 * `npm run bench:history`: the history exports of issue 5 on the real editing trace. Stores the
 * 259,778-edit history as the server would (one row per edit, a checkpoint every 500), then
 * times exporting every revision, the content at 100 random seqs, and the authorship spans,
 * through the same DocHistory the HTTP routes and the CLI use.
 */
const trace = loadTrace()
if (!trace) {
  process.stderr.write(`history bench needs ${tracePath}; it is not there\n`)
  process.exit(1)
}
const dir = join(tmpRoot, `history-${process.pid}`)
mkdirSync(dir, { recursive: true })
try {
  const db = openDatabase(join(dir, 'history.db'))
  const buildStart = performance.now()
  storeHistory(new SqliteDocStore(db), trace.patches).destroy()
  const buildMs = performance.now() - buildStart
  const history = new DocHistory(new SqliteHistoryStore(db))
  const lastSeq = history.lastSeq(crashedDoc)
  let peakRss = 0
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss))

  const exportStart = performance.now()
  let revisions = 0
  for (let fromSeq: number | null = 1; fromSeq !== null; ) {
    const page = history.revisions(crashedDoc, { fromSeq, limit: 10_000, groupMs: 0 })
    revisions += page.revisions.length
    fromSeq = page.nextSeq
    sample()
  }
  const exportMs = performance.now() - exportStart

  let seed = 7
  const randomSeq = () => 1 + ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % lastSeq)
  const pointTimes: number[] = []
  for (let i = 0; i < 100; i++) {
    const seq = i === 99 ? lastSeq : randomSeq()
    const start = performance.now()
    const doc = history.stateAt(crashedDoc, seq)
    const text = doc.getText('content').toString()
    pointTimes.push(performance.now() - start)
    if (seq === lastSeq && text !== trace.endContent) throw new Error('content at the last seq differs from the trace endContent')
    doc.destroy()
    sample()
  }

  const authorshipStart = performance.now()
  const spans = history.authorship(crashedDoc)
  const authorshipMs = performance.now() - authorshipStart
  sample()

  const rows: [string, string][] = [
    ['history stored (edits, rows)', `${trace.patches.length} edits, ${lastSeq} rows, built in ${(buildMs / 1000).toFixed(1)} s`],
    ['full history export (every revision as a Quill delta)', `${revisions} revisions in ${(exportMs / 1000).toFixed(2)} s (${Math.round(revisions / (exportMs / 1000))} revisions/s)`],
    ['content at 100 random seqs (last one checked against endContent)', `p50 ${quantile(pointTimes, 0.5).toFixed(2)} ms, p99 ${quantile(pointTimes, 0.99).toFixed(2)} ms, total ${(pointTimes.reduce((a, b) => a + b, 0) / 1000).toFixed(2)} s`],
    ['authorship of the final text', `${spans.length} spans in ${authorshipMs.toFixed(0)} ms`],
    ['peak RSS of the bench process', `${Math.round(peakRss / 2 ** 20)} MB`],
  ]
  for (const [what, result] of rows) process.stdout.write(`${what.padEnd(68)} ${result}\n`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
