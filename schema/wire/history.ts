import type { ContentFormat } from '../inputs/history.js'

/** A Quill delta op, as Yjs reports text changes. */
export type DeltaOp = { insert?: unknown; retain?: number; delete?: number; attributes?: Record<string, unknown> }

/** What a top-level type of a Yjs doc is: a `Y.Text`, a `Y.XmlFragment` (ProseMirror, Tiptap), a `Y.Map` or a `Y.Array`. */
export type SharedTypeKind = 'text' | 'xml' | 'map' | 'array'

/** A Yjs array change: JSON values inserted, and positions kept or removed. */
export type ArrayDeltaOp = { insert?: unknown[]; retain?: number; delete?: number }

/**
 * What one revision changed in one top-level type of the doc. Text and XML changes are deltas
 * over the type's plain text (an XML fragment's words, one line per block), with its length after;
 * a map names the keys that changed and their values after; an array gives its delta.
 */
export type SharedTypeChange =
  | { name: string; kind: 'text' | 'xml'; delta: DeltaOp[]; length: number }
  | { name: string; kind: 'map'; keys: Record<string, { action: 'add' | 'update' | 'delete'; value?: unknown }> }
  | { name: string; kind: 'array'; delta: ArrayDeltaOp[]; length: number }

/**
 * Where an update was written, beside who wrote it: the study session of a session doc and the
 * step that session was on when the update was stored. Null outside a study session.
 */
export interface UpdateContext {
  studySessionId: number
  studyStepId: number | null
}

/**
 * One change of the document: a log record, or consecutive records of one user (in one context)
 * grouped.
 */
export interface Revision {
  /** First and last log seq the revision covers. */
  fromSeq: number
  toSeq: number
  /** When the server stored its first record, ms since the epoch. */
  createdAt: number
  /**
   * When its first record was typed, as the client told the server (Folio's SDK does for edits
   * made offline), within the bounds the server trusts; null when it did not tell (stock clients):
   * `createdAt` is then the best time known.
   */
  typedAt: number | null
  userId: string | null
  clientId: number | null
  /** The change to the document's main text (`content`) as a Quill delta (empty when the update touched no text). */
  delta: DeltaOp[]
  /** Main text length after the change. */
  length: number
  /** Every top-level type the revision changed, the main text included, by name. */
  changes: SharedTypeChange[]
  context: UpdateContext | null
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
  /** The user names of the revisions' authors by user id (documents' history; accounts that no longer exist are left out). */
  authors?: Record<string, string>
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
  /** The seq whose text the spans cover: `?seq=`, by default the last one. */
  seq: number
  spans: AuthorshipSpan[]
  /** Text from before this seq has no known author (`userId: null`) when the log was trimmed. */
  completeFromSeq: number
  /** The user names of the spans' authors by user id (documents' authorship). */
  authors?: Record<string, string>
}
