import { and, eq } from 'drizzle-orm'
import { share, tag, tagSet } from '../../schema/db/index.js'
import { type DocumentRow, findLiveDocument } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'

type ShareRow = typeof share.$inferSelect
type TagSetRow = typeof tagSet.$inferSelect

/** What a share is about, once it is checked that the caller may share it. */
export type ShareTarget = { kind: 'document'; row: DocumentRow } | { kind: 'tag set'; row: TagSetRow }

/**
 * The document or tag set `ids` names, if the caller may share it: its owner or an admin.
 * NotFound for a missing or deleted one (and for a document the caller may not open at all),
 * Forbidden for one they may open but not share.
 */
export async function shareableTarget(ctx: RpcContext, ids: { documentId?: number | null; tagSetId?: number | null }): Promise<ShareTarget> {
  if (ids.documentId != null) {
    const documentId = ids.documentId
    // Sharing is managing the document: the one document rule decides, as for its metadata.
    await ctx.can.requireDocumentAccess(documentId)
    if (!(await ctx.can.checkDocumentAccess(documentId, 'manage'))) throw new ForbiddenError(`only the owner of document ${documentId} and administrators may share it`)
    return { kind: 'document', row: (await findLiveDocument(ctx.db, documentId))! }
  }
  const tagSetId = ids.tagSetId!
  const [row] = await ctx.db
    .select()
    .from(tagSet)
    .where(and(eq(tagSet.id, tagSetId), eq(tagSet.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`tag set ${tagSetId} does not exist`)
  if (!ctx.can.isAdmin() && row.userId !== ctx.user.id) throw new ForbiddenError(`only the owner of tag set ${tagSetId} and administrators may share it`)
  return { kind: 'tag set', row }
}

/** The live share `shareId` whose target the caller may share (NotFound, Forbidden as `shareableTarget`). */
export async function manageableShare(ctx: RpcContext, shareId: number): Promise<{ share: ShareRow; target: ShareTarget }> {
  const [row] = await ctx.db
    .select()
    .from(share)
    .where(and(eq(share.id, shareId), eq(share.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`share ${shareId} does not exist`)
  return { share: row, target: await shareableTarget(ctx, row) }
}

/**
 * Records the share's write and its target's row, so that the user or role holders it names see
 * the target appear in their live tables (or leave them, for `formerAudience`, when a share ends),
 * and, for a document, so that `LiveAccess` re-checks its open sockets at once.
 */
export async function recordShareWrite(ctx: RpcContext, target: ShareTarget, written: ShareRow, previous: ShareRow | null, formerAudience?: readonly number[]): Promise<void> {
  ctx.changes.record('share', written, previous)
  if (target.kind === 'document') {
    ctx.changes.record('document', target.row, target.row, formerAudience)
    return
  }
  ctx.changes.record('tag_set', target.row, target.row, formerAudience)
  const tags = await ctx.db
    .select()
    .from(tag)
    .where(and(eq(tag.tagSetId, target.row.id), eq(tag.deleted, false)))
  for (const row of tags) ctx.changes.record('tag', row, row, formerAudience)
}
