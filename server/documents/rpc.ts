import { and, eq, isNull, or } from 'drizzle-orm'
import { annotationsDocName, documentDocName, documentType, rpcInputs } from '../../schema/index.js'
import { document, documentData, tag, user } from '../../schema/db/index.js'
import { type DocumentAccess, type DocumentRow, findLiveDocument, type SessionGrant } from '../access/index.js'
import { checkSessionScope, type ScopeInput, sessionScope } from '../studies/index.js'
import { applyEditOps, applyQuillDelta, contentDelta, contentText } from './content.js'
import { type DocumentDataRow, saveDocumentData } from './documentData.js'
import { FileStore } from './FileStore.js'
import { checkFileUpload } from './fileUpload.js'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import { documentRoom, type Rooms } from '../events/index.js'
import { writeImportedAnnotations } from '../pdfAnnotations/index.js'
import { syncedTables } from '../realtime/index.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import type { SyncEngine } from '../../sync/index.js'
import type { DocumentsConfig } from '../config.js'

/** The live document `id`; NotFound for a missing or deleted one. */
async function findDocument(ctx: RpcContext, id: number): Promise<DocumentRow> {
  const row = await findLiveDocument(ctx.db, id)
  if (!row) throw new NotFoundError(`document ${id} does not exist`)
  return row
}

/** A document the caller may use as `need` says (`Permissions.documentAccess`): NotFound when missing, Forbidden when not theirs to see or use so. */
async function documentFor(ctx: RpcContext, id: number, need: DocumentAccess): Promise<DocumentRow> {
  await ctx.can.requireDocumentAccess(id, need)
  return findDocument(ctx, id)
}

const readableDocument = (ctx: RpcContext, id: number) => documentFor(ctx, id, 'read')
/** Its metadata, publication and data are its owner's and admins'; its content is also its editors'. */
const managedDocument = (ctx: RpcContext, id: number) => documentFor(ctx, id, 'manage')

const hasContentDoc = (row: DocumentRow): boolean => row.type === documentType.html || row.type === documentType.modal

/** HTML and MODAL documents keep their content in a Yjs doc; PDFs have a file instead. */
function requireContentDoc(row: DocumentRow): void {
  if (!hasContentDoc(row)) throw new InvalidInputError(`document ${row.id} is a PDF: only HTML and MODAL documents have editable content`)
}

/** What a client needs to follow a document live: the Yjs docs to open over `/sync` (a study session's own, in one), and whether it may edit. */
async function liveDocsOf(ctx: RpcContext, row: DocumentRow, scope: SessionGrant | null) {
  const docSession = scope?.docSessionId ?? null
  return {
    documentId: row.id,
    contentDoc: hasContentDoc(row) ? documentDocName(row.id, docSession) : null,
    annotationsDoc: annotationsDocName(row.id, docSession),
    canEdit: scope ? scope.access === 'write' : await ctx.can.checkDocumentAccess(row.id, 'edit'),
  }
}

/**
 * The document events. HTML and MODAL content is the Yjs doc `document:<id>` (a Y.Text
 * whose delta is a Quill delta), so RPC reads and edits and sync clients share one truth; PDF
 * bytes live in the content-addressed file store. Reads need access to the document, content
 * edits an editor share, its owner or an admin, metadata changes the owner or an admin
 * (`Permissions.documentAccess`); the original checked neither on several events.
 */
/** What the document events need besides the RPC context. */
export interface DocumentRpcDeps {
  engine: SyncEngine
  /** Groups of events clients: the followers of a document (`documentRoom`). */
  rooms: Rooms
  /** The file store and upload limit of documentAdd. */
  documents: DocumentsConfig
}

export function registerDocumentEvents(rpc: RpcRegistry, { engine, rooms, documents: settings }: DocumentRpcDeps): void {
  const files = new FileStore(settings.filesDir)
  const author = (ctx: RpcContext) => ({ userId: String(ctx.user.id) })

  const readContent = (row: DocumentRow, scope: SessionGrant | null = null) => engine.read(documentDocName(row.id, scope?.docSessionId ?? null), contentDelta)

  /**
   * The document a call names, within the study session it names if any (`sessionScope`: the
   * session's rule decides, the plain document's otherwise): NotFound, Forbidden as they apply.
   */
  const scopedDocument = async (ctx: RpcContext, input: ScopeInput, need: 'read' | 'write') => {
    const scope = await sessionScope(engine, ctx, input, need)
    if (scope) return { row: await findDocument(ctx, input.documentId), scope }
    return { row: await documentFor(ctx, input.documentId, need === 'write' ? 'edit' : 'read'), scope }
  }

  /** `{document, deltas}` for HTML and MODAL (of the session, in one), `{document, file}` (base64) for PDFs, as documentGet answers. */
  const documentWithContent = async (row: DocumentRow, scope: SessionGrant | null) => {
    if (hasContentDoc(row)) return { document: row, deltas: readContent(row, scope) }
    const bytes = row.fileHash ? await files.get(row.fileHash) : null
    if (!bytes) throw new NotFoundError(`document ${row.id} has no stored file`)
    return { document: row, file: bytes.toString('base64') }
  }

  rpc.define(
    'documentCreate',
    rpcInputs.documentCreate,
    async ({ name, type, projectId, parentDocumentId, hideInFrontend }, ctx) => {
      if (parentDocumentId != null) await ctx.can.requireDocumentAccess(parentDocumentId)
      // The content doc starts empty: nothing is stored until the first edit.
      const [row] = await ctx.db.insert(document).values({ name, type, projectId, parentDocumentId, hideInFrontend, userId: ctx.user.id }).returning()
      ctx.changes.record('document', row!)
      return row
    },
    { transaction: true, scope: 'owned by the caller; a parent document must be readable', pushes: ['documentRefresh'] },
  )

  rpc.define('documentAdd', rpcInputs.documentAdd, async (input, ctx) => {
    const ownerId = input.userId ?? ctx.user.id
    // The original meant to check this and never did (its guard read `data.userid`).
    if (ownerId !== ctx.user.id) {
      if (!ctx.can.isAdmin()) throw new ForbiddenError('only administrators may upload documents for another user')
      const [owner] = await ctx.db.select({ id: user.id }).from(user).where(and(eq(user.id, ownerId), eq(user.deleted, false))).limit(1)
      if (!owner) throw new NotFoundError(`user ${ownerId} does not exist`)
    }
    const common = {
      name: input.name,
      userId: ownerId,
      uploadedByUserId: ctx.user.id,
      projectId: input.projectId,
      originalFilename: input.originalFilename,
    }
    let row: DocumentRow
    if (input.file !== undefined) {
      const upload = await checkFileUpload({ ...input, file: input.file }, settings, ctx)
      const stored = await files.put(upload.file)
      // Stored before the row exists: a failed insert leaves an unused file, never a row without its file.
      ;[row] = (await ctx.db
        .insert(document)
        .values({ ...common, type: upload.type, fileHash: stored.hash, fileSize: stored.size })
        .returning()) as [DocumentRow]
      ctx.changes.record('document', row)
      if (upload.type === documentType.zip) return { doc: row, annotations: [], errors: [] }
      const annotations = await writeImportedAnnotations(engine, ctx.db, row.id, { id: ctx.user.id, isAdmin: ctx.can.isAdmin() }, upload.annotations)
      return { doc: row, annotations, errors: upload.errors }
    } else {
      const ops = input.delta!.ops
      ;[row] = (await ctx.db
        .insert(document)
        .values({ ...common, type: input.type ?? documentType.html })
        .returning()) as [DocumentRow]
      // After the row is committed: one update attributed to the uploader, stored before the answer.
      ctx.afterCommit(() => engine.transact(documentDocName(row.id), author(ctx), (doc) => contentText(doc).applyDelta(ops)))
    }
    ctx.changes.record('document', row)
    return { doc: row, annotations: [], errors: [] }
  }, { scope: 'owned by the caller; admins: for another user', pushes: ['documentRefresh'] })

  rpc.define('documentGet', rpcInputs.documentGet, async (input, ctx) => {
    if (input.history) throw new InvalidInputError("invalid input: history: the edit history is the document's update log, which is not served yet")
    const { row, scope } = await scopedDocument(ctx, input, 'read')
    return documentWithContent(row, scope)
  }, { scope: 'readers of the document (in a study session: its scoping rule)' })

  rpc.define('documentGetByHash', rpcInputs.documentGetByHash, async ({ documentHash }, ctx) => {
    const [found] = await ctx.db
      .select({ id: document.id })
      .from(document)
      .where(and(eq(document.hash, documentHash), eq(document.deleted, false)))
      .limit(1)
    if (!found) throw new NotFoundError(`no document has hash ${documentHash}`)
    const row = await readableDocument(ctx, found.id)
    ctx.emit('documentRefresh', [row])
    return row
  }, { scope: 'readers of the document', pushes: ['documentRefresh'] })

  rpc.define('documentGetDeltas', rpcInputs.documentGetDeltas, async ({ documentId }, ctx) => {
    const row = await readableDocument(ctx, documentId)
    requireContentDoc(row)
    const deltas = readContent(row)
    ctx.emit('documentFileMerged', { document: row, deltas })
    return deltas
  }, { scope: 'readers of the document', pushes: ['documentFileMerged'] })

  rpc.define('documentGetData', rpcInputs.documentGetData, async (input, ctx) => {
    if (input.history) throw new InvalidInputError("invalid input: history: the edit history is the document's update log, which is not served yet")
    const { row, scope } = await scopedDocument(ctx, input, 'read')
    if (hasContentDoc(row)) return documentWithContent(row, scope)
    // A PDF opens with the tags its annotations may use; annotations and comments come from the annotations doc.
    const tags = await ctx.db.select().from(tag).where(and(await syncedTables.tag.visibleWhere(ctx.can), eq(tag.deleted, false)))
    ctx.emit('tagRefresh', tags)
    return { document: row, tags }
  }, { scope: 'readers of the document (in a study session: its scoping rule)', pushes: ['tagRefresh'] })

  rpc.define('documentEdit', rpcInputs.documentEdit, async (input, ctx) => {
    const { row, scope } = await scopedDocument(ctx, input, 'write')
    requireContentDoc(row)
    // One Yjs transaction: one stored update, attributed to the caller, broadcast to every sync client.
    await engine.transact(documentDocName(row.id, scope?.docSessionId ?? null), author(ctx), (doc) => {
      if (input.ops) applyEditOps(contentText(doc), input.ops)
      else applyQuillDelta(contentText(doc), input.delta!.ops)
    })
    return null
  }, { scope: 'those who may edit the document (in a study session: its participant at that step)' })

  rpc.define(
    'documentPublish',
    rpcInputs.documentPublish,
    async ({ documentId }, ctx) => {
      const previous = await managedDocument(ctx, documentId)
      if (previous.public) return previous
      const [row] = await ctx.db.update(document).set({ public: true }).where(eq(document.id, documentId)).returning()
      ctx.changes.record('document', row!, previous)
      return row
    },
    { transaction: true, scope: 'those who may manage the document', pushes: ['documentRefresh'] },
  )

  rpc.define(
    'documentUpdate',
    rpcInputs.documentUpdate,
    async ({ id, deleted, ...fields }, ctx) => {
      const previous = await managedDocument(ctx, id)
      if (fields.parentDocumentId != null) {
        if (fields.parentDocumentId === id) throw new InvalidInputError('invalid input: parentDocumentId: a document cannot be its own parent')
        await ctx.can.requireDocumentAccess(fields.parentDocumentId)
      }
      const changes: Partial<DocumentRow> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
      if (deleted) Object.assign(changes, { deleted: true, deletedAt: new Date() })
      if (Object.keys(changes).length === 0) return previous
      const [row] = await ctx.db.update(document).set(changes).where(eq(document.id, id)).returning()
      ctx.changes.record('document', row!, previous)
      return row
    },
    { transaction: true, scope: 'those who may manage the document', pushes: ['documentRefresh'] },
  )

  rpc.define('documentGetAll', rpcInputs.documentGetAll, async (input, ctx) => {
    const ownerId = input?.userId
    const rows = await ctx.db
      .select()
      .from(document)
      .where(and(await syncedTables.document.visibleWhere(ctx.can), eq(document.deleted, false), ownerId === undefined ? undefined : eq(document.userId, ownerId)))
      .orderBy(document.id)
    ctx.emit('documentRefresh', rows)
    return rows
  }, { scope: 'the documents the caller may see', pushes: ['documentRefresh'] })

  // The original joined the socket.io room `doc:<id>` for edits, annotations and comments. Content
  // is live over `/sync` now; the room still carries the annotations doc's Refresh pushes.
  rpc.define('documentSubscribe', rpcInputs.documentSubscribe, async (input, ctx) => {
    if (!ctx.client) throw new InvalidInputError('documentSubscribe needs the events websocket (ws://<host>/events?token=…); documentOpen answers the same over HTTP')
    const { row, scope } = await scopedDocument(ctx, input, 'read')
    rooms.join(documentRoom(row.id), ctx.client)
    return liveDocsOf(ctx, row, scope)
  }, { scope: 'readers of the document; over the events websocket only' })

  rpc.define('documentUnsubscribe', rpcInputs.documentUnsubscribe, ({ documentId }, ctx) => {
    // No access check: leaving must work after access is gone or the document was deleted.
    if (!ctx.client) throw new InvalidInputError('documentUnsubscribe needs the events websocket (ws://<host>/events?token=…)')
    rooms.leave(documentRoom(documentId), ctx.client)
    return null
  }, { scope: 'your own subscriptions; over the events websocket only' })

  // The original tracked open editors to save their pending edits on close or disconnect. Every
  // edit is stored as it arrives now, so open and close only check access and say what to open.
  // In a study session they name the session's own docs: in a collaborative study, the one all its participants share.
  rpc.define('documentOpen', rpcInputs.documentOpen, async (input, ctx) => {
    const { row, scope } = await scopedDocument(ctx, input, 'read')
    return liveDocsOf(ctx, row, scope)
  }, { scope: 'readers of the document (in a study session: its scoping rule)' })

  rpc.define('documentClose', rpcInputs.documentClose, async ({ documentId }, ctx) => {
    await readableDocument(ctx, documentId)
    return null
  }, { scope: 'readers of the document' })

  rpc.define(
    'documentDataSave',
    rpcInputs.documentDataSave,
    async ({ documentId, studySessionId, studyStepId, key, value }, ctx) => {
      // A session's data is written by its participants; the plain document's by its owner.
      if (!(await checkSessionScope(ctx, { documentId, studySessionId, studyStepId }, 'write'))) await managedDocument(ctx, documentId)
      const scope = { documentId, studySessionId: studySessionId ?? null, studyStepId: studyStepId ?? null, key }
      const { row, previous } = await saveDocumentData(ctx.db, scope, value, ctx.user.id)
      ctx.changes.record('document_data', row, previous)
      return row
    },
    { transaction: true, scope: 'those who may manage the document; in a study session: its participants', pushes: ['document_dataRefresh'] },
  )

  rpc.define('documentDataGet', rpcInputs.documentDataGet, async ({ documentId, studySessionId, studyStepId, key, partialMatch }, ctx) => {
    if (!(await checkSessionScope(ctx, { documentId, studySessionId, studyStepId }, 'read'))) await readableDocument(ctx, documentId)
    const session = studySessionId ?? null
    const step = studyStepId ?? null
    const inScope = (sessionId: number | null, stepId: number | null) =>
      and(sessionId === null ? isNull(documentData.studySessionId) : eq(documentData.studySessionId, sessionId), stepId === null ? isNull(documentData.studyStepId) : eq(documentData.studyStepId, stepId))
    const rows = await ctx.db
      .select()
      .from(documentData)
      .where(and(eq(documentData.documentId, documentId), eq(documentData.deleted, false), or(inScope(null, null), inScope(session, step))))
    const wanted = (row: DocumentDataRow) => key === undefined || (partialMatch ? row.key.startsWith(key) : row.key === key)
    // The plain document's values first, so the session's own values override them.
    const isPlain = (row: DocumentDataRow) => row.studySessionId === null && row.studyStepId === null
    const ordered = [...rows.filter(isPlain), ...rows.filter((row) => !isPlain(row))]
    return Object.fromEntries(ordered.filter(wanted).map((row) => [row.key, row.value]))
  }, { scope: 'readers of the document; in a study session: its scoping rule' })
}
