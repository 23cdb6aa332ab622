import type { ContentFormat } from '../inputs/history.js'

/** A Quill delta op, as Yjs reports text changes. */
export type DeltaOp = { insert?: unknown; retain?: number; delete?: number; attributes?: Record<string, unknown> }

/** One change of the document's text: a log record, or consecutive records of one user grouped. */
export interface Revision {
  /** First and last log seq the revision covers. */
  fromSeq: number
  toSeq: number
  createdAt: number
  userId: string | null
  clientId: number | null
  /** The change to the text as a Quill delta (empty when the update touched no text). */
  delta: DeltaOp[]
  /** Text length after the change. */
  length: number
}

/** A run of the current text written by one account. */
export interface AuthorshipSpan {
  from: number
  to: number
  userId: string | null
}

/** A page of a document's revisions (`GET /documents/:id/history`). */
export interface HistoryPage {
  revisions: Revision[]
  /** Where the next page starts, or null after the last. */
  nextSeq: number | null
  completeFromSeq: number
  lastSeq: number
}

/** A document's content at one seq (`GET /documents/:id/content`). */
export interface ContentAt {
  seq: number
  format: ContentFormat
  /** A Quill delta (ops array), text, HTML, or the Y.Doc as JSON. */
  content: unknown
  completeFromSeq: number
}

/** Who wrote which part of a document's text (`GET /documents/:id/authorship`). */
export interface Authorship {
  /** The seq whose text the spans cover: the last one. */
  seq: number
  spans: AuthorshipSpan[]
  /** Text from before this seq has no known author (`userId: null`) when the log was trimmed. */
  completeFromSeq: number
}
