import type { HistoryExportFormat, Revision } from '../../schema/index.js'
import type { DocHistory } from '../../sync/index.js'
import { toCsv } from '../annotations/index.js'
import { writingIdfx } from './idfx.js'
import { replayWriting, type WritingEvent } from './writingEvents.js'

/** How user ids appear in an export: as they are, or as a study's pseudonyms. */
export type UserLabel = (userId: string | null) => string | null

/** The columns of the event CSV: one row per insert or delete. */
export const writingEventColumns = ['writer', 'session', 'step', 'document', 'type', 'seq', 'start', 'end', 'stored', 'pauseMs', 'position', 'documentLength', 'operation', 'text'] as const

/** The columns of the revisions CSV: `typedAt` when the client told its typing time (else empty), `createdAt` when it was stored. */
export const revisionColumns = ['fromSeq', 'toSeq', 'typedAt', 'createdAt', 'userId', 'session', 'step', 'length', 'delta', 'changes'] as const

export function writingEventsCsv(events: readonly WritingEvent[], label: UserLabel): string {
  return toCsv(
    writingEventColumns,
    events.map((event) => ({
      writer: label(event.writer),
      session: event.context?.studySessionId,
      step: event.context?.studyStepId,
      document: event.docName,
      type: event.type,
      seq: event.seq,
      start: new Date(event.startTime).toISOString(),
      end: new Date(event.endTime).toISOString(),
      stored: new Date(event.storedTime).toISOString(),
      pauseMs: event.pauseMs,
      position: event.position,
      documentLength: event.documentLength,
      operation: event.operation,
      text: event.text,
    })),
  )
}

export function revisionsCsv(revisions: readonly Revision[], label: UserLabel): string {
  return toCsv(
    revisionColumns,
    revisions.map((revision) => ({
      ...revision,
      typedAt: revision.typedAt === null ? null : new Date(revision.typedAt).toISOString(),
      createdAt: new Date(revision.createdAt).toISOString(),
      userId: label(revision.userId),
      session: revision.context?.studySessionId,
      step: revision.context?.studyStepId,
    })),
  )
}

/** The events of a doc's main text: its Quill `content`, else the first text or XML fragment that has any. */
export function mainTextEvents(events: readonly WritingEvent[], mainText: string): WritingEvent[] {
  const types = [...new Set(events.map((event) => event.type))].sort()
  const main = types.includes(mainText) ? mainText : types[0]
  return events.filter((event) => event.type === main)
}

/** A file of an export: its bytes as text, and how to serve it. */
export interface ExportFile {
  body: string
  contentType: string
  extension: string
}

const contentTypes: Record<HistoryExportFormat, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  events: { contentType: 'text/csv; charset=utf-8', extension: 'events.csv' },
  idfx: { contentType: 'application/xml; charset=utf-8', extension: 'idfx' },
}

/**
 * One doc's whole retained history in `format`: every revision (grouped by `groupMs`) as JSON or
 * CSV, or every insert and delete as the event CSV or an IDFX log of its main text.
 */
export function docHistoryExport(history: DocHistory, docName: string, options: { format: HistoryExportFormat; groupMs: number; mainText: string; label: UserLabel }): ExportFile {
  const { format, groupMs, label } = options
  const type = contentTypes[format]
  if (format === 'json' || format === 'csv') {
    const revisions: Revision[] = []
    for (let next: number | null = history.completeFromSeq(docName); next !== null && history.lastSeq(docName) > 0; ) {
      const page = history.revisions(docName, { fromSeq: next, limit: 10_000, groupMs })
      revisions.push(...page.revisions)
      next = page.nextSeq
    }
    const body = format === 'json' ? JSON.stringify({ docName, groupMs, revisions: revisions.map((r) => ({ ...r, userId: label(r.userId) })) }) : revisionsCsv(revisions, label)
    return { body, ...type }
  }
  const events: WritingEvent[] = []
  replayWriting(history, docName, (_revision, made) => events.push(...made))
  if (format === 'events') return { body: writingEventsCsv(events, label), ...type }
  const writers = [...new Set(events.map((event) => label(event.writer)))]
  const session = events.find((event) => event.context)?.context?.studySessionId
  const body = writingIdfx({ fileName: `${docName.replace(/:/g, '_')}.idfx`, guid: docName, participant: writers.join(' ') || 'Unknown', session: session === undefined ? '' : String(session) }, mainTextEvents(events, options.mainText))
  return { body, ...type }
}
