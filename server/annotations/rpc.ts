import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'
import { annotationsDocName, rpcInputs } from '../../schema/index.js'
import { entryCollections, type EntryCollection, entryRow, type Row, userNamesOf } from './entryRows.js'
import { createEntry, findEntry, requireEntryOwner, updateEntry } from './entries.js'
import { NotFoundError } from '../errors.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import type { SyncEngine } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { type ScopeInput, sessionScope } from '../studies/index.js'

/** The annotations doc of a call, and the fields entries made there carry. */
interface AnnotationsTarget {
  documentId: number
  docName: string
  stamp: Row
}

/**
 * The annotation, comment and vote events, on the document's annotations Yjs doc:
 * RPC writes land in the same doc browser clients edit, so both see one truth, and the
 * AnnotationsPublisher pushes the Refresh events for either.
 */
export function registerAnnotationEvents(rpc: RpcRegistry, { engine, db }: { engine: SyncEngine; db: FolioDatabase }): void {
  /**
   * The annotations doc a call works on, once the caller may use it as `need` says: a study
   * session's own (the session's scoping rule), or the document's (everyone who may annotate the
   * document writes it: all with access but readers of a reader share).
   */
  const annotationsDoc = async (ctx: RpcContext, input: ScopeInput, need: 'read' | 'write'): Promise<AnnotationsTarget> => {
    const scope = await sessionScope(engine, ctx, input, need)
    if (!scope) await ctx.can.requireDocumentAccess(input.documentId, need === 'write' ? 'annotate' : 'read')
    return {
      documentId: input.documentId,
      docName: annotationsDocName(input.documentId, scope?.docSessionId ?? null),
      // Entries made in a session say in which session and step, as the original's rows do.
      stamp: scope ? { studySessionId: input.studySessionId, studyStepId: input.studyStepId ?? null } : {},
    }
  }
  /** The entries of a collection as the caller may see them. */
  const rowsFor = async (ctx: RpcContext, { documentId, docName }: AnnotationsTarget, collection: EntryCollection, ids?: readonly string[], includeDeleted = false): Promise<Row[]> => {
    const entries = engine.read(docName, (doc) => {
      const map = doc.getMap<unknown>(collection)
      return (ids ?? [...map.keys()]).map((id) => [id, toJson(map.get(id))] as const)
    })
    const viewer = { userId: ctx.user.id, isAdmin: ctx.can.isAdmin() }
    const userNames = await userNamesOf(db, entries.map(([, entry]) => entry))
    return entries.flatMap(([id, entry]) => {
      const row = entry === undefined ? null : entryRow(id, entry, documentId, viewer, userNames)
      return row && (includeDeleted || row.deleted !== true) ? [row] : []
    })
  }
  /** One entry as the caller sees it; after a write it may be the soft-deleted entry. */
  const one = async (ctx: RpcContext, target: AnnotationsTarget, collection: EntryCollection, id: string, afterWrite = false): Promise<Row> => {
    const [row] = await rowsFor(ctx, target, collection, [id], afterWrite)
    if (!row) throw new NotFoundError(`${entryCollections[collection].table} ${id} does not exist`)
    return row
  }
  const author = (ctx: RpcContext) => ({ userId: String(ctx.user.id) })

  rpc.define('annotationUpdate', rpcInputs.annotationUpdate, async (input, ctx) => {
    const target = await annotationsDoc(ctx, input, 'write')
    const { annotationId, documentId: _documentId, studySessionId: _session, studyStepId: _step, ...fields } = input
    const id = await engine.transact(target.docName, author(ctx), (doc) => {
      if (annotationId) {
        const entry = findEntry(doc, 'annotations', annotationId)
        requireEntryOwner(entry, ctx.can, 'annotations')
        // As in the original, saving an annotation publishes its draft.
        updateEntry(entry, { ...fields, draft: false })
        if (fields.deleted) softDeleteComments(doc, (comment) => comment.get('annotationId') === annotationId)
        return annotationId
      }
      const created = randomUUID()
      const quote = fields.selectors?.target[0]?.selector.find((s) => s.type === 'TextQuoteSelector')
      createEntry(doc, 'annotations', created, {
        ...target.stamp,
        userId: ctx.user.id,
        tagId: fields.tagId ?? null,
        selectors: fields.selectors ?? null,
        text: fields.text ?? (quote && 'exact' in quote ? quote.exact : ''),
        draft: fields.draft ?? true,
        anonymous: fields.anonymous ?? false,
      })
      // Every new annotation comes with its empty draft comment, as in the original.
      createEntry(doc, 'comments', randomUUID(), {
        ...target.stamp,
        userId: ctx.user.id,
        annotationId: created,
        parentCommentId: null,
        text: '',
        draft: true,
        anonymous: fields.anonymous ?? false,
        tags: [],
      })
      return created
    })
    return await one(ctx, target, 'annotations', id, true)
  }, { scope: "readers of the document (annotating is reading); changes: the entry's author and admins", pushes: ['annotationRefresh', 'commentRefresh'] })

  rpc.define('commentUpdate', rpcInputs.commentUpdate, async (input, ctx) => {
    const target = await annotationsDoc(ctx, input, 'write')
    const { commentId, documentId: _documentId, studySessionId: _session, studyStepId: _step, ...fields } = input
    const id = await engine.transact(target.docName, author(ctx), (doc) => {
      if (commentId) {
        const entry = findEntry(doc, 'comments', commentId)
        requireEntryOwner(entry, ctx.can, 'comments')
        updateEntry(entry, { ...fields, draft: false })
        if (fields.deleted) softDeleteComments(doc, (comment) => comment.get('parentCommentId') === commentId)
        return commentId
      }
      if (fields.annotationId) findEntry(doc, 'annotations', fields.annotationId)
      if (fields.parentCommentId) findEntry(doc, 'comments', fields.parentCommentId)
      const created = randomUUID()
      createEntry(doc, 'comments', created, {
        ...target.stamp,
        userId: ctx.user.id,
        annotationId: fields.annotationId ?? null,
        parentCommentId: fields.parentCommentId ?? null,
        text: fields.text ?? '',
        draft: fields.draft ?? true,
        anonymous: fields.anonymous ?? false,
        tags: fields.tags ?? [],
      })
      return created
    })
    return await one(ctx, target, 'comments', id, true)
  }, { scope: "readers of the document; changes: the entry's author and admins", pushes: ['commentRefresh'] })

  rpc.define('commentVote', rpcInputs.commentVote, async (input, ctx) => {
    const { commentId, vote } = input
    const target = await annotationsDoc(ctx, input, 'write')
    // One vote per user and comment: the key says whose vote it is.
    const voteId = `${commentId}:${ctx.user.id}`
    await engine.transact(target.docName, author(ctx), (doc) => {
      findEntry(doc, 'comments', commentId)
      const votes = doc.getMap<unknown>('votes')
      if (vote === 0) votes.delete(voteId)
      else createEntry(doc, 'votes', voteId, { ...target.stamp, userId: ctx.user.id, commentId, vote })
    })
    return { commentId, vote }
  }, { scope: 'readers of the document', pushes: ['comment_voteRefresh'] })

  // Reads: one entry (also pushed to the caller, as the original emits it) and a document's entries.
  // Drafts of others are hidden by entryRow, as the original's draft filter does.
  const pushAnswer = (ctx: RpcContext, collection: EntryCollection, rows: Row[]) => {
    ctx.emit(entryCollections[collection].refresh, rows)
    return rows
  }
  rpc.define('annotationGet', rpcInputs.annotationGet, async (input, ctx) => {
    const target = await annotationsDoc(ctx, input, 'read')
    return pushAnswer(ctx, 'annotations', [await one(ctx, target, 'annotations', input.annotationId)])[0]
  }, { scope: 'readers of the document', pushes: ['annotationRefresh'] })
  rpc.define('commentGet', rpcInputs.commentGet, async (input, ctx) => {
    const target = await annotationsDoc(ctx, input, 'read')
    return pushAnswer(ctx, 'comments', [await one(ctx, target, 'comments', input.commentId)])[0]
  }, { scope: 'readers of the document', pushes: ['commentRefresh'] })
  const byDocument = [
    ['annotationGetByDocument', 'annotations'],
    ['commentGetByDocument', 'comments'],
    ['commentVoteGetByDocument', 'votes'],
  ] as const
  for (const [event, collection] of byDocument) {
    rpc.define(
      event,
      rpcInputs[event],
      async (input, ctx) => {
        const target = await annotationsDoc(ctx, input, 'read')
        return pushAnswer(ctx, collection, await rowsFor(ctx, target, collection))
      },
      { scope: 'readers of the document', pushes: [entryCollections[collection].refresh] },
    )
  }

  // Presence ("someone is editing this") is Yjs awareness on the annotations doc now; old clients still get their answer.
  rpc.define('collabUpdate', rpcInputs.collabUpdate, async (input, ctx) => {
    const { collabId } = input
    await annotationsDoc(ctx, input, 'read')
    if (collabId) return { collabId }
    const started = { collabId: randomUUID(), collabHash: randomUUID() }
    ctx.emit('collabStart', started)
    return started
  }, { scope: 'readers of the document', pushes: ['collabStart'] })
}

/** Soft-deletes the comments that `matches` picks, as the original's cascade does. */
function softDeleteComments(doc: Y.Doc, matches: (comment: Y.Map<unknown>) => boolean): void {
  for (const comment of doc.getMap<unknown>('comments').values()) {
    if (comment instanceof Y.Map && comment.get('deleted') !== true && matches(comment)) updateEntry(comment, { deleted: true })
  }
}

function toJson(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}
