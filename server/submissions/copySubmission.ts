import { eq } from 'drizzle-orm'
import { hasTextContent } from '../../schema/index.js'
import { document, submission, submissionDocument } from '../../schema/db/index.js'
import type { RpcContext } from '../rpc/index.js'
import type { ContentFork } from '../studies/index.js'

export type SubmissionRow = typeof submission.$inferSelect
type DocumentRow = typeof document.$inferSelect

/** A copy of a submission: the new row, its documents, and the documents whose text is to be forked after the commit. */
export interface SubmissionCopy {
  copiedSubmission: SubmissionRow
  copiedDocuments: DocumentRow[]
  originalSubmissionId: number
  forks: ContentFork[]
}

/**
 * Copies `original` in the call's transaction: a new submission naming it as parent, made by the
 * caller, with a copy of each of its live documents (`<name>_copy`, `parentDocumentId` the
 * original). A PDF copy names the same stored file, which the content-addressed store never
 * changes; the text of an HTML or modal copy is forked from the original after the commit.
 */
export async function copySubmission(ctx: RpcContext, original: SubmissionRow): Promise<SubmissionCopy> {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...columns } = original
  const [copiedSubmission] = await ctx.db
    .insert(submission)
    .values({ ...columns, parentSubmissionId: original.id, createdByUserId: ctx.user.id })
    .returning()
  const documents = await ctx.db
    .select({ document })
    .from(submissionDocument)
    .innerJoin(document, eq(document.id, submissionDocument.documentId))
    .where(eq(submissionDocument.submissionId, original.id))
  const copy: SubmissionCopy = { copiedSubmission: copiedSubmission!, copiedDocuments: [], originalSubmissionId: original.id, forks: [] }
  for (const { document: source } of documents) {
    if (source.deleted) continue
    const { id: _docId, hash: _hash, createdAt: _docCreated, updatedAt: _docUpdated, ...docColumns } = source
    const [row] = await ctx.db
      .insert(document)
      .values({ ...docColumns, name: `${source.name}_copy`, parentDocumentId: source.id })
      .returning()
    await ctx.db.insert(submissionDocument).values({ documentId: row!.id, submissionId: copiedSubmission!.id })
    copy.copiedDocuments.push(row!)
    if (hasTextContent(source.type)) copy.forks.push({ from: source.id, to: row!.id })
  }
  return copy
}
