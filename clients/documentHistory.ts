import type { ContentFormat } from '../schema/inputs/history.js'

/** Which page of revisions `client.history` asks for (`GET /documents/:id/history`). */
export interface HistoryQuery {
  /** The first seq of the page; by default the first change the retained log holds. */
  fromSeq?: number
  /** Revisions per page (the server allows up to 10,000; 500 by default). */
  limit?: number
  /** Consecutive changes of one user less than this many ms apart form one revision. */
  groupMs?: number
}

/** Which content `client.contentAt` asks for: right after `seq`, or as it was at the ISO time `at`; now by default. */
export interface ContentQuery {
  seq?: number
  at?: string
  format?: ContentFormat
}

/** Whose text `client.authorship` describes: right after `seq`, the current text by default. */
export interface AuthorshipQuery {
  seq?: number
}

/** The path of one of a document's history routes with its query, e.g. `/documents/7/content?seq=3`. */
export function documentHistoryPath(documentId: number, route: 'history' | 'content' | 'authorship', query: object): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const search = params.toString()
  return `/documents/${documentId}/${route}${search ? `?${search}` : ''}`
}
