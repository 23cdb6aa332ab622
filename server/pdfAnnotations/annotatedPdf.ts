import { inArray } from 'drizzle-orm'
import { annotationsDocName, documentType, type TagColorCode, tagColorCodes } from '../../schema/index.js'
import { type FolioDatabase, tag } from '../../schema/db/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { type DocumentRow, findLiveDocument, type Permissions } from '../access/index.js'
import { annotationsEntries, buildAnnotationsExport } from '../annotations/index.js'
import { InvalidInputError, NotFoundError } from '../errors.js'
import { embedNotes } from './embed.js'
import { notesOf, type SkippedAnnotation, tagColors, untaggedColor } from './folioNotes.js'
import { readPageTexts } from './pageText.js'
import type { Rgb } from './pdfNotes.js'

/** Where stored files are read: the documents' file store. */
export interface StoredFiles {
  get(hash: string): Promise<Buffer | null>
}

/** What `annotatedPdf` needs. */
export interface AnnotatedPdfDeps {
  engine: SyncEngine
  db: FolioDatabase
  files: StoredFiles
}

/** A PDF document's file with its annotations in it. */
export interface AnnotatedPdf {
  document: DocumentRow
  file: Uint8Array
  embedded: number
  skipped: SkippedAnnotation[]
}

/**
 * The stored PDF of document `documentId` with its annotations written in (`embedNotes`): the
 * published annotations and comments the caller sees in the app (anonymous ones as "Anonymous"),
 * for anyone who may read the document. NotFound, Forbidden, or InvalidInput for a document that
 * is not a PDF.
 */
export async function annotatedPdf({ engine, db, files }: AnnotatedPdfDeps, can: Permissions, documentId: number): Promise<AnnotatedPdf> {
  await can.requireDocumentAccess(documentId)
  const row = await findLiveDocument(db, documentId)
  if (!row) throw new NotFoundError(`document ${documentId} does not exist`)
  if (row.type !== documentType.pdf) throw new InvalidInputError(`invalid input: documentId: document ${documentId} is not a PDF: only PDF documents have annotations to embed`)
  const bytes = row.fileHash ? await files.get(row.fileHash) : null
  if (!bytes) throw new NotFoundError(`document ${documentId} has no stored file`)
  const viewer = { userId: can.user.id, isAdmin: can.isAdmin() }
  const entries = engine.read(annotationsDocName(documentId), annotationsEntries)
  const exported = await buildAnnotationsExport(db, { documentId, documentName: row.name, entries, viewer, scope: 'visible' })
  const colorOf = await tagColorsOf(db, exported.annotations.map((annotation) => annotation.tagId))
  const { notes, skipped } = notesOf(exported, await readPageTexts(bytes), colorOf)
  return { document: row, file: notes.length === 0 ? bytes : await embedNotes(bytes, notes), embedded: notes.length, skipped }
}

/** The PDF colour of each tag by id, in one query. */
async function tagColorsOf(db: FolioDatabase, tagIds: readonly unknown[]): Promise<(tagId: unknown) => Rgb> {
  const ids = [...new Set(tagIds.filter((id): id is number => typeof id === 'number'))]
  const rows = ids.length === 0 ? [] : await db.select({ id: tag.id, colorCode: tag.colorCode }).from(tag).where(inArray(tag.id, ids))
  const colors = new Map(rows.map((row) => [row.id, isColorCode(row.colorCode) ? tagColors[row.colorCode] : untaggedColor]))
  return (tagId) => (typeof tagId === 'number' ? colors.get(tagId) : undefined) ?? untaggedColor
}

function isColorCode(value: unknown): value is TagColorCode {
  return (tagColorCodes as readonly unknown[]).includes(value)
}
