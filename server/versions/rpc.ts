import { and, asc, eq } from 'drizzle-orm'
import { documentContentDoc, documentDocName, documentType, hasTextContent, rpcInputs } from '../../schema/index.js'
import { documentVersion, user } from '../../schema/db/index.js'
import { type DocHistory, HistoryTrimmedError, type SyncEngine } from '../../sync/index.js'
import { findLiveDocument } from '../access/index.js'
import { contentText } from '../documents/index.js'
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import { restoreText } from './restoreText.js'

type VersionRow = typeof documentVersion.$inferSelect

/**
 * Named versions of a document's content: a name for a seq of `document:<id>`'s log. Readers of
 * the document list them; only its owner, its editors (shares) and admins name and restore them,
 * because those are the accounts that may change the content (a restore is an edit), and a name becomes part of the
 * document every reader sees. A restore never rewrites history: it is a new change, attributed
 * to the restorer, that brings the text back to the version's.
 */
export function registerVersionEvents(rpc: RpcRegistry, { engine, history }: { engine: SyncEngine; history: DocHistory }): void {
  /** The content doc of a readable HTML or MODAL document; with `change`, the caller must also be allowed to edit it. */
  const contentDocOf = async (ctx: RpcContext, documentId: number, change: boolean): Promise<string> => {
    await ctx.can.requireDocumentAccess(documentId)
    const row = await findLiveDocument(ctx.db, documentId)
    if (row && !hasTextContent(row.type)) throw new InvalidInputError(`invalid input: documentId: document ${documentId} is a ${row.type === documentType.zip ? 'ZIP' : 'PDF'}: only HTML and MODAL documents have versions`)
    if (change && !(await ctx.can.checkDocumentAccess(documentId, 'edit'))) throw new ForbiddenError(`only the owner of document ${documentId}, its editors and administrators may name or restore its versions`)
    return documentDocName(documentId)
  }
  const withCreator = async (ctx: RpcContext, row: VersionRow) => {
    const [creator] = await ctx.db.select({ userName: user.userName }).from(user).where(eq(user.id, row.userId))
    return { ...row, creator_name: creator?.userName ?? null }
  }

  rpc.define('versionCreate', rpcInputs.versionCreate, async ({ documentId, name }, ctx) => {
    const docName = await contentDocOf(ctx, documentId, true)
    // Updates applied in this event-loop turn are stored first, so the version holds everything already applied.
    await engine.flush()
    const row = await ctx.write(async () => {
      const [taken] = await ctx.db
        .select({ id: documentVersion.id })
        .from(documentVersion)
        .where(and(eq(documentVersion.documentId, documentId), eq(documentVersion.name, name)))
      if (taken) throw new ConflictError(`document ${documentId} already has a version named "${name}"`)
      const [created] = await ctx.db.insert(documentVersion).values({ documentId, name, seq: history.lastSeq(docName), userId: ctx.user.id }).returning()
      return created!
    })
    return withCreator(ctx, row)
  }, { scope: 'those who may edit the document' })

  rpc.define('versionList', rpcInputs.versionList, async ({ documentId }, ctx) => {
    await contentDocOf(ctx, documentId, false)
    // The creators' names come in the same query, not one lookup per version.
    const rows = await ctx.db
      .select({ version: documentVersion, creatorName: user.userName })
      .from(documentVersion)
      .leftJoin(user, eq(user.id, documentVersion.userId))
      .where(eq(documentVersion.documentId, documentId))
      .orderBy(asc(documentVersion.seq), asc(documentVersion.id))
    return rows.map(({ version, creatorName }) => ({ ...version, creator_name: creatorName ?? null }))
  }, { scope: 'those who may read the document' })

  rpc.define('versionRestore', rpcInputs.versionRestore, async ({ documentId, versionId }, ctx) => {
    const docName = await contentDocOf(ctx, documentId, true)
    const [version] = await ctx.db
      .select()
      .from(documentVersion)
      .where(and(eq(documentVersion.id, versionId), eq(documentVersion.documentId, documentId)))
    if (!version) throw new NotFoundError(`document ${documentId} has no version ${versionId}`)
    let state
    try {
      state = history.stateAt(docName, version.seq)
    } catch (error) {
      if (error instanceof HistoryTrimmedError) throw new NotFoundError(`the content of version "${version.name}" is no longer stored: ${error.message}`)
      throw error
    }
    try {
      const target = state.getText(documentContentDoc.text)
      // One Yjs transaction: one stored update, attributed to the caller, broadcast to every sync client.
      const changed = await engine.transact(docName, { userId: String(ctx.user.id) }, (doc) => restoreText(contentText(doc), target))
      return { version: await withCreator(ctx, version), changed, seq: history.lastSeq(docName) }
    } finally {
      state.destroy()
    }
  }, { scope: 'those who may edit the document' })
}
