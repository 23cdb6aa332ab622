import { eq } from 'drizzle-orm'
import { strToU8, zipSync } from 'fflate'
import { type FolioDatabase, document } from '../../schema/db/index.js'
import type { DocHistory } from '../../sync/index.js'
import { toCsv } from '../annotations/index.js'
import { writingEventsCsv } from './historyFormats.js'
import { ExportPeople } from './people.js'
import { type ArchiveFile, type Audience, sessionAnnotationFiles, sessionDocumentFiles, StepTimings } from './sessionDocs.js'
import { type ExportTarget, loadStudies, type StudyRows } from './studyRows.js'
import type { WritingEvent } from './writingEvents.js'

/** How far an export is: sessions done of all sessions to export. */
export interface ExportProgress {
  done: number
  total: number
  /** What was just exported, e.g. `study 3 session 17`. */
  what: string
}

/**
 * Deflate level of the archive. Keystroke logs are repetitive JSON and CSV: level 1 compresses them
 * to about a tenth, and level 6 (zlib's default) made the export of 300 sessions several seconds
 * slower for a slightly smaller file (bench/README.md). fflate's asynchronous zip, on worker threads,
 * was slower still on a small machine.
 */
const compressionLevel = 1

const sessionColumns = ['session', 'participant', 'userName', 'start', 'end', 'durationMs', 'numberSteps', 'studyStepId', 'studyStepIdMax'] as const
const timingColumns = ['session', 'participant', 'step', 'firstChange', 'lastChange', 'spanMs', 'changes'] as const

/**
 * The research export of a study or of every study of a project, as one zip archive: per study
 * `study.json` (the study, its steps, its sessions), `sessions.csv`, `timings.csv` (per session and
 * step: first and last change), `events.csv` (every insert and delete of every session doc), and
 * per session its documents (content of every shared type, revisions, IDFX log) and annotations
 * (JSON and CSV); a collaborative study's shared docs once, in its first session's folder. Only sessions of users who accepted data sharing, and only their changes and
 * entries, go in; an anonymized study shows pseudonyms instead of user ids (`ExportPeople`). The
 * docs are replayed from the stored log, so a running server and the CLI's database mode give
 * the same archive. Between sessions it yields to the event loop, so a server keeps serving.
 */
export async function studyArchive(db: FolioDatabase, history: DocHistory, target: ExportTarget, onProgress: (progress: ExportProgress) => void = () => {}): Promise<Uint8Array> {
  const { project, studies } = await loadStudies(db, target)
  const people = await ExportPeople.load(db, studies.map((rows) => rows.study.id))
  const files: ArchiveFile[] = []
  const root = target.kind === 'project' ? `project-${target.id}` : ''
  if (project) files.push({ path: `${root}/project.json`, text: JSON.stringify({ id: project.id, name: project.name, description: project.description, studies: studies.map((rows) => rows.study.id), exportedAt: new Date().toISOString() }, null, 1) })
  const total = studies.reduce((sum, rows) => sum + (rows.study.collab ? 1 : rows.sessions.filter((session) => people.includes(session.userId, rows.study.userId)).length), 0)
  let done = 0
  for (const rows of studies) {
    const folder = `${root ? `${root}/` : ''}study-${rows.study.id}`
    files.push(...(await studyFiles(db, history, folder, rows, people, (what) => onProgress({ done: ++done, total, what }))))
  }
  const entries = Object.fromEntries(files.map((file) => [file.path, strToU8(file.text)]))
  return zipSync(entries, { level: compressionLevel, mtime: new Date() })
}

async function studyFiles(db: FolioDatabase, history: DocHistory, folder: string, rows: StudyRows, people: ExportPeople, sessionDone: (what: string) => void): Promise<ArchiveFile[]> {
  const { study, steps } = rows
  const label = people.labeler(study.anonymize, study.userId)
  const audience: Audience = { includes: (userId) => people.includes(userId, study.userId), label }
  const sessions = rows.sessions.filter((session) => audience.includes(session.userId))
  const documentNames = new Map<number, string>()
  for (const documentId of new Set(steps.flatMap((step) => (step.documentId === null ? [] : [step.documentId])))) {
    const [row] = await db.select({ name: document.name }).from(document).where(eq(document.id, documentId))
    documentNames.set(documentId, row?.name ?? '')
  }
  const files: ArchiveFile[] = []
  const events: WritingEvent[] = []
  const sessionRows: Record<string, unknown>[] = []
  const timingRows: Record<string, unknown>[] = []
  // In a collaborative study everyone writes into the first session's docs: they are exported once.
  const docSessions = study.collab ? (rows.sharedSessionId === null ? [] : [rows.sharedSessionId]) : sessions.map((session) => session.id)
  const timings = new StepTimings()
  for (const docSessionId of docSessions) {
    const owner = rows.sessions.find((session) => session.id === docSessionId)
    const participant = study.collab ? 'shared' : (label(owner?.userId ?? null) ?? '')
    const sessionFolder = `${folder}/session-${docSessionId}`
    for (const documentId of documentNames.keys()) {
      const made = sessionDocumentFiles(history, sessionFolder, documentId, docSessionId, audience, participant, timings)
      files.push(...made.files, ...(await sessionAnnotationFiles(db, history, sessionFolder, { id: documentId, name: documentNames.get(documentId)! }, docSessionId, audience, timings)))
      events.push(...made.events)
    }
    sessionDone(`study ${study.id} session ${docSessionId}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
  for (const session of sessions) {
    const participant = label(session.userId) ?? ''
    sessionRows.push({
      session: session.id,
      participant,
      userName: study.anonymize ? null : people.userName(session.userId),
      start: session.start?.toISOString(),
      end: session.end?.toISOString(),
      durationMs: session.start && session.end ? session.end.getTime() - session.start.getTime() : null,
      numberSteps: session.numberSteps,
      studyStepId: session.studyStepId,
      studyStepIdMax: session.studyStepIdMax,
    })
    for (const timing of timings.of(session.id)) {
      timingRows.push({ session: session.id, participant, step: timing.studyStepId, firstChange: new Date(timing.first).toISOString(), lastChange: new Date(timing.last).toISOString(), spanMs: timing.last - timing.first, changes: timing.changes })
    }
  }
  const studyJson = {
    study: {
      id: study.id,
      name: study.name,
      workflowId: study.workflowId,
      projectId: study.projectId,
      parentStudyId: study.parentStudyId,
      collab: study.collab,
      anonymize: study.anonymize,
      timeLimit: study.timeLimit,
      start: study.start,
      end: study.end,
      closed: study.closed,
      owner: label(study.userId),
    },
    steps: steps.map((step) => ({ id: step.id, stepType: step.stepType, documentId: step.documentId, documentName: step.documentId === null ? null : documentNames.get(step.documentId), studyStepPrevious: step.studyStepPrevious, studyStepDocument: step.studyStepDocument, configuration: step.configuration })),
    sessions: sessionRows,
    // Sessions of participants who did not accept data sharing are left out; only their number is told.
    sessionsLeftOut: rows.sessions.length - sessions.length,
    exportedAt: new Date().toISOString(),
  }
  files.unshift(
    { path: `${folder}/study.json`, text: JSON.stringify(studyJson, null, 1) },
    { path: `${folder}/sessions.csv`, text: toCsv(sessionColumns, sessionRows) },
    { path: `${folder}/timings.csv`, text: toCsv(timingColumns, timingRows) },
    { path: `${folder}/events.csv`, text: writingEventsCsv(events, (writer) => writer) },
  )
  return files
}
