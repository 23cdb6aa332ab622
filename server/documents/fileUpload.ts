import { and, eq } from 'drizzle-orm'
import { documentType } from '../../schema/index.js'
import { tag } from '../../schema/db/index.js'
import type { DocumentsConfig } from '../config.js'
import { InvalidInputError } from '../errors.js'
import { preparePdfUpload, type PdfUpload } from '../pdfAnnotations/index.js'
import { syncedTables } from '../realtime/index.js'
import type { RpcContext } from '../rpc/index.js'
import { decodeUpload, isPdfBytes, isZipBytes } from './uploads.js'
import { checkZipUpload } from './zipUpload.js'


/** A checked file upload, ready to store: its document type and bytes, and for a PDF the annotations made of its own notes. */
export type FileUpload = { type: typeof documentType.zip; file: Uint8Array } | ({ type: typeof documentType.pdf } & PdfUpload)

/**
 * The file `documentAdd` was sent, checked: a PDF (type 0) or a zip (type 4), as `type` says or,
 * without it, as the bytes begin. A zip must pass `checkZipUpload`; a PDF's highlights and notes
 * are taken out and, unless `importAnnotations` is false, made annotations (their tags found by
 * name among the tags the uploader sees).
 */
export async function checkFileUpload(input: { file: string; type?: number; importAnnotations?: boolean }, settings: DocumentsConfig, ctx: RpcContext): Promise<FileUpload> {
  const bytes = decodeUpload('file', input.file, settings.maxUploadBytes)
  const isPdf = isPdfBytes(bytes)
  const isZip = isZipBytes(bytes)
  const type = input.type ?? (isZip ? documentType.zip : documentType.pdf)
  if (type === documentType.zip) {
    if (!isZip) throw new InvalidInputError('invalid input: file: not a zip file (a zip starts with "PK")')
    await checkZipUpload('file', bytes, settings)
    return { type, file: bytes }
  }
  if (!isPdf) throw new InvalidInputError('invalid input: file: not a PDF file (a PDF starts with "%PDF-")')
  const tagIds = async () => {
    const visible = await ctx.db
      .select({ id: tag.id, name: tag.name })
      .from(tag)
      .where(and(await syncedTables.tag.visibleWhere(ctx.can), eq(tag.deleted, false)))
      .orderBy(tag.id)
    const byName = new Map<string, number>()
    for (const { id, name } of visible) if (!byName.has(name)) byName.set(name, id)
    return byName
  }
  return { type: documentType.pdf, ...(await preparePdfUpload(bytes, { importAnnotations: input.importAnnotations !== false, maxAnnotations: settings.maxImportedAnnotations, tagIds })) }
}
