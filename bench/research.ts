import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import { annotationsDocName, documentDocName, documentType, stepType } from '../schema/index.js'
import { document, openDatabase, study, studySession, studyStep, user, workflow } from '../schema/db/index.js'
import { studyArchive } from '../server/research/index.js'
import { seedWorkflows } from '../server/studies/index.js'
import { DocHistory, SqliteDocStore, SqliteHistoryStore, type UpdateRecord } from '../sync/index.js'
import { tmpRoot } from './servers.js'

/**
 * `npm run bench:research`: the research export of one study with `sessions` sessions. Each
 * participant types `keystrokes` characters into their session copy of the editor document (one
 * stored update each, 150 ms apart, with the session and step in its context, as the engine stores
 * them) and makes 3 annotations on the PDF; one in ten did not accept data sharing. Stored straight
 * into the log, then exported through the same `studyArchive` the HTTP route and the CLI run.
 */
const sessions = Number(process.env.BENCH_SESSIONS ?? 300)
const keystrokes = Number(process.env.BENCH_KEYSTROKES ?? 300)
const dir = join(tmpRoot, `research-${process.pid}`)
mkdirSync(dir, { recursive: true })
try {
  const db = openDatabase(join(dir, 'research.db'))
  await seedWorkflows(db)
  const [owner] = await db.insert(user).values({ userName: 'owner', email: 'owner@example.test', acceptDataSharing: true }).returning()
  const [flow] = await db.select().from(workflow).limit(1)
  const [pdf] = await db.insert(document).values({ name: 'paper.pdf', userId: owner!.id, type: documentType.pdf }).returning()
  const [essay] = await db.insert(document).values({ name: 'essay', userId: owner!.id, type: documentType.html, hideInFrontend: true }).returning()
  const [row] = await db.insert(study).values({ name: 'Bench', userId: owner!.id, workflowId: flow!.id, anonymize: true }).returning()
  const [annotate] = await db.insert(studyStep).values({ studyId: row!.id, stepType: stepType.annotator, documentId: pdf!.id }).returning()
  const [write] = await db.insert(studyStep).values({ studyId: row!.id, stepType: stepType.editor, documentId: essay!.id, studyStepPrevious: annotate!.id }).returning()

  const store = new SqliteDocStore(db)
  const buildStart = performance.now()
  let updates = 0
  const start = Date.parse('2026-01-01T09:00:00Z')
  for (let i = 0; i < sessions; i++) {
    const [participant] = await db.insert(user).values({ userName: `p${i}`, email: `p${i}@example.test`, acceptDataSharing: i % 10 !== 9 }).returning()
    const [session] = await db.insert(studySession).values({ hash: crypto.randomUUID(), studyId: row!.id, userId: participant!.id, studyStepId: write!.id, start: new Date(start) }).returning()
    const userId = String(participant!.id)
    const records: UpdateRecord[] = []
    const record = (docId: string, update: Uint8Array, stepId: number, at: number) =>
      records.push({ docId, seq: records.filter((r) => r.docId === docId).length + 1, update, clientId: null, userId, context: JSON.stringify({ studySessionId: session!.id, studyStepId: stepId }), createdAt: at })
    const notes = new Y.Doc()
    notes.on('update', (update: Uint8Array) => record(annotationsDocName(pdf!.id, session!.id), update, annotate!.id, start + records.length * 1_000))
    for (let a = 0; a < 3; a++) notes.getMap('annotations').set(`a${a}`, new Y.Map<unknown>(Object.entries({ userId: participant!.id, text: `remark ${a}`, draft: false })))
    const text = new Y.Doc()
    text.on('update', (update: Uint8Array) => record(documentDocName(essay!.id, session!.id), update, write!.id, start + 10_000 + records.length * 150))
    const content = text.getText('content')
    for (let k = 0; k < keystrokes; k++) {
      if (k % 20 === 19) content.delete(content.length - 1, 1)
      else content.insert(content.length, 'abcdefghij '[k % 11]!)
    }
    store.appendUpdates(records)
    updates += records.length
  }
  const buildMs = performance.now() - buildStart

  const history = new DocHistory(new SqliteHistoryStore(db))
  let peakRss = process.memoryUsage().rss
  const exportStart = performance.now()
  let lastProgress = 0
  let sessionsDoneMs = 0
  const zip = await studyArchive(db, history, { kind: 'study', id: row!.id }, ({ done, total }) => {
    sessionsDoneMs = performance.now() - exportStart
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    if (done - lastProgress >= 50 || done === total) process.stderr.write(`exported ${(lastProgress = done)} of ${total} sessions\n`)
  })
  const exportMs = performance.now() - exportStart
  const table = [
    ['sessions (exported, left out for consent)', `${sessions} (${sessions - Math.floor(sessions / 10)}, ${Math.floor(sessions / 10)})`],
    ['stored updates', `${updates.toLocaleString('en')} (built in ${(buildMs / 1000).toFixed(1)} s)`],
    ['export time', `${(exportMs / 1000).toFixed(2)} s (${Math.round((updates / exportMs) * 1000).toLocaleString('en')} updates/s)`],
    ['of which replaying the sessions\' docs', `${(sessionsDoneMs / 1000).toFixed(2)} s; the zip (deflate level 1) the rest`],
    ['archive', `${(zip.byteLength / 1_048_576).toFixed(2)} MB`],
    ['peak RSS', `${Math.round(peakRss / 1_048_576)} MB`],
  ]
  process.stdout.write(`| research export | value |\n| --- | --- |\n${table.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`)
  db.$client.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
