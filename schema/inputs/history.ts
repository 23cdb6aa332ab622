import { z } from 'zod'

const documentId = z.number().int().positive()

/** `versionCreate`: names the document's current content (its content doc's last seq). */
export const versionCreateInput = z.strictObject({ documentId, name: z.string().trim().min(1).max(255) })

/** `versionList`: the named versions of a document, oldest first. */
export const versionListInput = z.strictObject({ documentId })

/** `versionRestore`: a new change that brings the document's text back to the version's. */
export const versionRestoreInput = z.strictObject({ documentId, versionId: z.number().int().positive() })

/** What `GET /documents/:id/content` can answer: a Quill delta, plain text, HTML, or the whole Y.Doc as JSON. */
export const contentFormats = ['delta', 'text', 'html', 'json'] as const
export type ContentFormat = (typeof contentFormats)[number]

/** Formats of `GET /documents/:id/annotations/export`. */
export const annotationsExportFormats = ['json', 'csv'] as const
export type AnnotationsExportFormat = (typeof annotationsExportFormats)[number]

/**
 * Whose entries an annotations export holds: `visible`, what the caller sees in the app (their own
 * entries, drafts included, and everyone's published ones); `all`, every user's entries, drafts
 * included (needs the export right).
 */
export const annotationsExportScopes = ['visible', 'all'] as const
export type AnnotationsExportScope = (typeof annotationsExportScopes)[number]

/**
 * Formats of a history export: `json` (every revision), `csv` (one row per revision), `events` (CSV,
 * one row per insert or delete, for keystroke-logging analyses) and `idfx` (Inputlog's XML log).
 */
export const historyExportFormats = ['json', 'csv', 'events', 'idfx'] as const
export type HistoryExportFormat = (typeof historyExportFormats)[number]
