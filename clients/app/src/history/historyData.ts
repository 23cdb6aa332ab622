import type { DeltaOp, FolioClient, Revision } from '../../../index.js'
import { Timeline } from './timeline.js'

/** Revisions asked for per history page (the server allows up to 10,000). */
const pageSize = 2000

/** A stop of the timeslider: consecutive revisions of one author (in one context) with pauses shorter than the grouping. */
export interface Stop {
  fromSeq: number
  toSeq: number
  userId: string | null
  createdAt: number
  revisions: number
}

export interface DocumentHistory {
  timeline: Timeline
  revisions: Revision[]
  /** Names of the authors by user id. */
  authors: Record<string, string>
  lastSeq: number
  completeFromSeq: number
}

/**
 * A document's whole retained history, every log record a revision (so the text at any seq can
 * be shown exactly, named versions' seqs included); grouping for the slider is done here, on the
 * revisions, not by the server, so changing it needs no new request.
 */
export async function loadHistory(client: FolioClient, documentId: number): Promise<DocumentHistory> {
  const revisions: Revision[] = []
  const authors: Record<string, string> = {}
  let page = await client.history(documentId, { limit: pageSize })
  const { completeFromSeq } = page
  for (;;) {
    revisions.push(...page.revisions)
    Object.assign(authors, page.authors ?? {})
    if (page.nextSeq === null) break
    page = await client.history(documentId, { fromSeq: page.nextSeq, limit: pageSize })
  }
  const baseSeq = completeFromSeq - 1
  const base = baseSeq > 0 ? ((await client.contentAt(documentId, { seq: baseSeq, format: 'delta' })).content as DeltaOp[]) : []
  const timeline = new Timeline(baseSeq, base)
  for (const revision of revisions) timeline.apply(revision.toSeq, revision.userId, revision.delta)
  return { timeline, revisions, authors, lastSeq: page.lastSeq, completeFromSeq }
}

/** The slider's stops: revisions grouped by author, context and pauses under `groupMs` (0: every revision its own stop). */
export function stopsOf(revisions: readonly Revision[], groupMs: number): Stop[] {
  const stops: Stop[] = []
  let last: Revision | null = null
  for (const revision of revisions) {
    const stop = stops.at(-1)
    const continues = stop && last && groupMs > 0 && last.userId === revision.userId && JSON.stringify(last.context) === JSON.stringify(revision.context) && revision.createdAt - last.createdAt < groupMs
    if (continues) {
      stop.toSeq = revision.toSeq
      stop.revisions++
    } else {
      stops.push({ fromSeq: revision.fromSeq, toSeq: revision.toSeq, userId: revision.userId, createdAt: revision.createdAt, revisions: 1 })
    }
    last = revision
  }
  return stops
}
