import { and, eq } from 'drizzle-orm'
import { document, submission, submissionDocument } from '../../schema/db/index.js'
import type { DocumentsConfig } from '../config.js'
import { checkZipUpload, type FileStore, type StoredFile } from '../documents/index.js'
import { ConflictError } from '../errors.js'
import { preparePdfUpload } from '../pdfAnnotations/index.js'
import type { RpcContext } from '../rpc/index.js'
import { documentType } from '../../schema/index.js'
import { type SubmittedFile, submissionFileType } from './submissionFiles.js'

/** What a submission is made of besides its files. */
export interface SubmissionFields {
  /** The student it belongs to, who owns its documents. */
  userId: number
  /** The Moodle submission it was imported from, if any. */
  extId?: number | undefined
  group?: number | null | undefined
  validationConfigurationId?: number | null | undefined
}

/**
 * Stores a submission with one document per file (PDF or ZIP) in one write transaction of its
 * own: the submission, its documents and their links are there together or not at all. The
 * files go to the content-addressed store first, outside the transaction: a failed write leaves
 * at most an unused file there, never a row without its file. A Moodle submission imported
 * before is refused (Conflict), checked inside the transaction so two imports cannot both add it.
 */
export async function storeSubmission(ctx: RpcContext, store: FileStore, limits: DocumentsConfig, fields: SubmissionFields, files: readonly SubmittedFile[]) {
  const typed = files.map((file) => ({ file, type: submissionFileType(file) }))
  const stored: (StoredFile & (typeof typed)[number])[] = []
  for (const { file, type } of typed) stored.push({ file, type, ...(await store.put(await documentBytes(file, type, limits))) })
  const written = await ctx.write(async () => {
    if (fields.extId !== undefined) {
      const [earlier] = await ctx.db
        .select({ id: submission.id })
        .from(submission)
        .where(and(eq(submission.extId, fields.extId), eq(submission.deleted, false)))
        .limit(1)
      if (earlier) throw new ConflictError(`Moodle submission ${fields.extId} was imported before, as submission ${earlier.id}; delete that one to import it again`)
    }
    const [row] = await ctx.db
      .insert(submission)
      .values({ userId: fields.userId, createdByUserId: ctx.user.id, extId: fields.extId, group: fields.group, validationConfigurationId: fields.validationConfigurationId })
      .returning()
    const documents = []
    for (const { file, type, hash, size } of stored) {
      const [doc] = await ctx.db
        .insert(document)
        .values({ name: file.fileName, originalFilename: file.fileName, type, userId: fields.userId, uploadedByUserId: ctx.user.id, fileHash: hash, fileSize: size })
        .returning()
      await ctx.db.insert(submissionDocument).values({ documentId: doc!.id, submissionId: row!.id })
      documents.push(doc!)
    }
    return { submission: row!, documents }
  })
  // Recorded once committed: a rolled-back write pushes nothing.
  ctx.changes.record('submission', written.submission)
  for (const doc of written.documents) ctx.changes.record('document', doc)
  return written
}

/**
 * What is stored of a submitted file, held to the checks of an uploaded one: a ZIP passes
 * `checkZipUpload` (readable, plain entry names, the zip limits); a PDF is stored without the
 * annotations it carries, as uploads are, since a document's annotations are Folio's.
 */
async function documentBytes(file: SubmittedFile, type: number, limits: DocumentsConfig): Promise<Uint8Array> {
  if (type === documentType.zip) {
    await checkZipUpload(file.fileName, file.bytes, limits)
    return file.bytes
  }
  return (await preparePdfUpload(file.bytes, { importAnnotations: false, maxAnnotations: limits.maxImportedAnnotations, tagIds: async () => new Map() })).file
}
