import { annotationsDocName, documentContentDoc, documentDocName, type Revision } from '../../schema/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { contextOf, type DocHistory, plainText, typeSharedTypes, writtenAt } from '../../sync/index.js'
import { annotationsCsv, annotationsEntries, buildAnnotationsExport } from '../annotations/index.js'
import { writingIdfx } from './idfx.js'
import { mainTextEvents } from './historyFormats.js'
import { replayWriting, type WritingEvent } from './writingEvents.js'

/** Who may appear in an export and as whom, for one study (see `ExportPeople`). */
export interface Audience {
  includes(userId: string | number | null): boolean
  label(userId: string | number | null): string | null
}

/** A file of the archive: its path inside it and its text. */
export interface ArchiveFile {
  path: string
  text: string
}

/** When one session wrote in one step: its first and last change there (typing time, else stored), and how many. */
export interface StepTiming {
  studyStepId: number | null
  first: number
  last: number
  changes: number
}

/**
 * When each session wrote in each step, from the context stored with every change: the session it
 * was written in (in a collaborative study, the writer's own, though the doc is the shared one).
 */
export class StepTimings {
  private readonly bySession = new Map<number, Map<number | null, StepTiming>>()

  /** Counts a stored change of a doc of session `docSessionId`. */
  count(change: Pick<Revision, 'createdAt' | 'typedAt' | 'context'>, docSessionId: number): void {
    const at = writtenAt(change)
    const sessionId = change.context?.studySessionId ?? docSessionId
    const step = change.context?.studyStepId ?? null
    let steps = this.bySession.get(sessionId)
    if (!steps) this.bySession.set(sessionId, (steps = new Map()))
    const timing = steps.get(step)
    if (timing) Object.assign(timing, { first: Math.min(timing.first, at), last: Math.max(timing.last, at), changes: timing.changes + 1 })
    else steps.set(step, { studyStepId: step, first: at, last: at, changes: 1 })
  }

  /** The steps session `sessionId` wrote in, in the order it first did. */
  of(sessionId: number): StepTiming[] {
    return [...(this.bySession.get(sessionId)?.values() ?? [])].sort((a, b) => a.first - b.first)
  }
}

/** No account reads the docs: anonymous entries stay anonymous, as the app shows them to others. */
const exportViewer = { userId: 0, isAdmin: false }

/**
 * The export of one session's copy of a step document: its content (every shared type), every
 * revision and the insert and delete events of the writers in `audience`, and an IDFX log of its
 * main text; timings per step go to `timings`. Nothing when the session never wrote in it.
 */
export function sessionDocumentFiles(history: DocHistory, folder: string, documentId: number, sessionId: number, audience: Audience, participant: string, timings: StepTimings): { files: ArchiveFile[]; events: WritingEvent[] } {
  const docName = documentDocName(documentId, sessionId)
  const lastSeq = history.lastSeq(docName)
  if (lastSeq === 0) return { files: [], events: [] }
  const revisions: Omit<Revision, 'delta' | 'length'>[] = []
  const events: WritingEvent[] = []
  replayWriting(history, docName, (revision, made) => {
    if (!audience.includes(revision.userId)) return
    // `changes` holds the main text's delta too; the export keeps it once.
    const { delta: _mainDelta, length: _mainLength, ...rest } = revision
    revisions.push({ ...rest, userId: audience.label(revision.userId) })
    events.push(...made.map((event) => ({ ...event, writer: audience.label(event.writer) })))
    timings.count(revision, sessionId)
  })
  const doc = history.stateAt(docName, lastSeq)
  const types = typeSharedTypes(doc)
  const main = types.get(documentContentDoc.text) ?? [...types.values()].find((typed) => typed.kind === 'text' || typed.kind === 'xml')
  const content = { docName, documentId, studySessionId: sessionId, seq: lastSeq, content: doc.toJSON(), text: main ? plainText(main.type) : '', revisions }
  doc.destroy()
  const base = `${folder}/document-${documentId}`
  const idfx = writingIdfx({ fileName: `document-${documentId}-session-${sessionId}.idfx`, guid: docName, participant, session: String(sessionId) }, mainTextEvents(events, documentContentDoc.text))
  return { files: [{ path: `${base}.json`, text: JSON.stringify(content) }, { path: `${base}.idfx`, text: idfx }], events }
}

/**
 * The annotations, comments and votes of one session on a step document, as JSON and CSV, its
 * changes counted in `timings`: only entries and changes of users in `audience`, their ids (and
 * names) as the audience labels them.
 */
export async function sessionAnnotationFiles(
  db: FolioDatabase,
  history: DocHistory,
  folder: string,
  document: { id: number; name: string },
  sessionId: number,
  audience: Audience,
  timings: StepTimings,
): Promise<ArchiveFile[]> {
  const documentId = document.id
  const docName = annotationsDocName(documentId, sessionId)
  const lastSeq = history.lastSeq(docName)
  if (lastSeq === 0) return []
  for (const record of history.recordsFrom(docName, history.completeFromSeq(docName))) {
    if (audience.includes(record.userId)) timings.count({ createdAt: record.createdAt, typedAt: record.typedAt ?? null, context: contextOf(record) }, sessionId)
  }
  const doc = history.stateAt(docName, lastSeq)
  const entries = annotationsEntries(doc)
  doc.destroy()
  const consenting = (pairs: (readonly [string, unknown])[]) => pairs.filter(([, entry]) => audience.includes(((entry as { userId?: number } | null)?.userId ?? null) as number | null))
  const exported = await buildAnnotationsExport(db, {
    documentId,
    documentName: document.name,
    entries: { annotations: consenting(entries.annotations), comments: consenting(entries.comments), votes: consenting(entries.votes) },
    viewer: exportViewer,
    scope: 'all',
  })
  // The author's name goes where their id is replaced by a pseudonym; anonymous entries stay anonymous.
  const relabel = <T extends Record<string, unknown>>(row: T): T => {
    const label = audience.label(row.userId as number | null)
    const named = row.anonymous !== true && label === String(row.userId)
    return { ...row, userId: label, creator_name: row.anonymous === true ? 'Anonymous' : named ? row.creator_name : label }
  }
  const labelled = {
    ...exported,
    studySessionId: sessionId,
    annotations: exported.annotations.map((annotation) => ({ ...relabel(annotation), comments: annotation.comments.map((comment) => ({ ...relabel(comment), votes: comment.votes.map(relabel) })) })),
    comments: exported.comments.map((comment) => ({ ...relabel(comment), votes: comment.votes.map(relabel) })),
  }
  const base = `${folder}/annotations-${documentId}`
  return [
    { path: `${base}.json`, text: JSON.stringify(labelled, null, 1) },
    { path: `${base}.csv`, text: annotationsCsv(labelled) },
  ]
}
