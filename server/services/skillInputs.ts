import { and, eq } from 'drizzle-orm'
import { documentDocName, documentType, hasTextContent, manageSubmissionsRight, serviceReplacement, type ServiceReplacement } from '../../schema/index.js'
import { configuration, document, submission, submissionDocument } from '../../schema/db/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { type DocumentRow, findLiveDocument } from '../access/index.js'
import { contentDelta, type FileStore } from '../documents/index.js'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'

const typeNames = new Map<number, string>(Object.entries(documentType).map(([name, type]) => [type, name]))

/**
 * The server-side replacements of a skill request's inputs: an entry
 * `{type: "serviceReplacement", input: {type, …Id}}` becomes what it names, after the caller is
 * found to may read it (the original replaced any id it was given): a document's file as base64
 * (an HTML or MODAL document's Quill delta as JSON, as the original's `.delta` file held it), a
 * submission's files by document type, a configuration's content. Every id is checked before the
 * request leaves the server, so a refused id sends nothing.
 */
export class SkillInputs {
  constructor(
    private readonly engine: SyncEngine,
    private readonly files: FileStore,
  ) {}

  async resolve(ctx: RpcContext, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resolved: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(data)) {
      if (!isReplacement(value)) {
        resolved[name] = value
        continue
      }
      const parsed = serviceReplacement.safeParse(value)
      if (!parsed.success) throw new InvalidInputError(`invalid data: ${name}: a serviceReplacement names {type: "document" | "submission" | "configuration"} with its id`)
      resolved[name] = await this.replace(ctx, parsed.data.input)
    }
    return resolved
  }

  private async replace(ctx: RpcContext, input: ServiceReplacement['input']): Promise<unknown> {
    switch (input.type) {
      case 'document': {
        await ctx.can.requireDocumentAccess(input.documentId)
        const row = await findLiveDocument(ctx.db, input.documentId)
        if (!row) throw new NotFoundError(`document ${input.documentId} does not exist`)
        return this.fileOf(row)
      }
      case 'submission':
        return this.submissionFiles(ctx, input.submissionId)
      case 'configuration': {
        const [row] = await ctx.db
          .select({ content: configuration.content })
          .from(configuration)
          .where(and(eq(configuration.id, input.configurationId), eq(configuration.deleted, false)))
          .limit(1)
        if (!row) throw new NotFoundError(`configuration ${input.configurationId} does not exist`)
        return row.content
      }
    }
  }

  /** A submission's files by document type (`{pdf: base64, …}`), for its owner and the holders of the submissions right. */
  private async submissionFiles(ctx: RpcContext, submissionId: number): Promise<Record<string, string>> {
    const documents = await submissionDocuments(ctx, submissionId)
    const files: Record<string, string> = {}
    for (const row of documents) files[typeNames.get(row.type) ?? String(row.type)] = await this.fileOf(row)
    return files
  }

  private async fileOf(row: DocumentRow): Promise<string> {
    if (hasTextContent(row.type)) return Buffer.from(JSON.stringify(this.engine.read(documentDocName(row.id, null), contentDelta))).toString('base64')
    const bytes = row.fileHash ? await this.files.get(row.fileHash) : null
    if (!bytes) throw new NotFoundError(`document ${row.id} has no stored file`)
    return bytes.toString('base64')
  }
}

/** The live documents of submission `submissionId` in id order, if the caller owns it or holds the submissions right. */
export async function submissionDocuments(ctx: RpcContext, submissionId: number): Promise<DocumentRow[]> {
  const [row] = await ctx.db
    .select({ userId: submission.userId })
    .from(submission)
    .where(and(eq(submission.id, submissionId), eq(submission.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`submission ${submissionId} does not exist`)
  if (row.userId !== ctx.user.id && !ctx.can.hasRight(manageSubmissionsRight)) throw new ForbiddenError(`submission ${submissionId} is not yours: only its owner and holders of "${manageSubmissionsRight}" may use it`)
  const rows = await ctx.db
    .select({ document })
    .from(submissionDocument)
    .innerJoin(document, eq(document.id, submissionDocument.documentId))
    .where(and(eq(submissionDocument.submissionId, submissionId), eq(document.deleted, false)))
    .orderBy(document.id)
  return rows.map((entry) => entry.document)
}

const isReplacement = (value: unknown): boolean => typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'serviceReplacement'
