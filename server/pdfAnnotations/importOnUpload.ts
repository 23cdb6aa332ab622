import { annotationsDocName } from '../../schema/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { createEntry, entryRow, type Row, userNamesOf } from '../annotations/index.js'
import { InvalidInputError } from '../errors.js'
import { importedAnnotations, type ImportedAnnotation } from './folioNotes.js'
import { readPageTexts } from './pageText.js'
import { takeNotes } from './readNotes.js'

/** An uploaded PDF made ready to store: the file without its own notes, the annotations made of them, and what the uploader should know. */
export interface PdfUpload {
  file: Uint8Array
  annotations: ImportedAnnotation[]
  errors: string[]
}

/**
 * Takes the highlights and text notes out of an uploaded PDF (the stored file shows annotations
 * only as Folio's, as the original stripped them) and, when `importAnnotations`, turns them into
 * annotations. A PDF pdf-lib cannot read is stored as uploaded, with a line in `errors`. More
 * notes than `maxAnnotations` refuse the upload, naming the way to upload it without them.
 */
export async function preparePdfUpload(
  bytes: Uint8Array,
  options: { importAnnotations: boolean; maxAnnotations: number; tagIds: () => Promise<ReadonlyMap<string, number>> },
): Promise<PdfUpload> {
  let taken
  try {
    taken = await takeNotes(bytes)
  } catch {
    // pdf-lib's messages name its internals, not the file's problem; the uploader learns what it means for them.
    return { file: bytes, annotations: [], errors: ['the file could not be read as a PDF, so annotations it may hold were not imported; it is stored as uploaded'] }
  }
  if (!options.importAnnotations || taken.notes.length === 0) return { file: taken.file, annotations: [], errors: options.importAnnotations ? taken.skipped : [] }
  if (taken.notes.length > options.maxAnnotations) {
    throw new InvalidInputError(`invalid input: file: the PDF has ${taken.notes.length} notes; an upload imports at most ${options.maxAnnotations} (send importAnnotations: false to upload it without them)`)
  }
  const pages = await readPageTexts(taken.file, Math.max(...taken.notes.map((note) => note.pageNumber)))
  const tagIds = await options.tagIds()
  const { annotations, skipped } = importedAnnotations(taken.notes, pages, (name) => tagIds.get(name) ?? null)
  return { file: taken.file, annotations, errors: [...taken.skipped, ...skipped] }
}

/** Writes the imported annotations and their comments into the document's annotations doc, as the uploader's, in one stored update; answers the annotation rows. */
export async function writeImportedAnnotations(engine: SyncEngine, db: FolioDatabase, documentId: number, uploader: { id: number; isAdmin: boolean }, annotations: readonly ImportedAnnotation[]): Promise<Row[]> {
  if (annotations.length === 0) return []
  const entries = await engine.transact(annotationsDocName(documentId), { userId: String(uploader.id) }, (doc) =>
    annotations.map((annotation) => {
      for (const comment of annotation.comments) createEntry(doc, 'comments', comment.id, { userId: uploader.id, ...comment.fields })
      return [annotation.id, createEntry(doc, 'annotations', annotation.id, { userId: uploader.id, ...annotation.fields }).toJSON()] as const
    }),
  )
  const userNames = await userNamesOf(db, entries.map(([, entry]) => entry))
  return entries.flatMap(([id, entry]) => {
    const row = entryRow(id, entry, documentId, { userId: uploader.id, isAdmin: uploader.isAdmin }, userNames)
    return row ? [row] : []
  })
}
