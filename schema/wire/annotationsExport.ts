import type { AnnotationsExportScope } from '../inputs/history.js'

type Row = Record<string, unknown>

export type ExportedComment = Row & { tagNames: string[]; votes: Row[]; score: number }
export type ExportedAnnotation = Row & { tagName: string | null; comments: ExportedComment[] }

/** A document's annotations with their comments (threads flattened in time order), votes and tag names. */
export interface AnnotationsExport {
  documentId: number
  documentName: string
  exportedAt: string
  scope: AnnotationsExportScope
  annotations: ExportedAnnotation[]
  /** Comments on no exported annotation: document-level comments, and replies whose annotation is not exported. */
  comments: ExportedComment[]
}
