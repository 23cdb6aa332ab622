import * as Y from 'yjs'
import { documentDocName, stepType } from '../../schema/index.js'
import type { AccessLevel, SyncEngine } from '../../sync/index.js'
import { decideSessionAccess, loadSessionContext, type SessionContext, type SessionGrant, type StepRow } from '../access/index.js'
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'

const hasContent = (step: StepRow) => step.stepType !== stepType.annotator && step.documentId !== null

/**
 * Starts the session's copy of an editor or modal step's document, once: as the state of the
 * session's copy of the earlier step it continues (`studyStepDocument`, started first if need be),
 * or else of the step's own document, in one change attributed to whose text it copies: the
 * participant `userId` for their earlier step's, the study's owner for the step's document (so a
 * history never shows the given text as typed by the participant). A copy that holds anything is
 * left alone, which makes starting it idempotent: the check and the copy run in one engine
 * transaction, so of two concurrent starts the second finds the first's copy.
 */
export async function startSessionDoc(engine: SyncEngine, context: SessionContext, step: StepRow, userId: number): Promise<void> {
  if (!hasContent(step)) return
  const continued = step.studyStepDocument === null ? undefined : context.steps.find((row) => row.id === step.studyStepDocument)
  let source = documentDocName(step.documentId!)
  let author = context.study.userId
  if (continued && hasContent(continued)) {
    await startSessionDoc(engine, context, continued, userId)
    source = documentDocName(continued.documentId!, context.docSessionId)
    author = userId
  }
  const state = engine.read(source, (doc) => Y.encodeStateAsUpdate(doc))
  await engine.transact(documentDocName(step.documentId!, context.docSessionId), { userId: String(author) }, (doc) => {
    if (doc.store.clients.size === 0) Y.applyUpdate(doc, state)
  })
}

/** The scope a document call names: a study session and step, or neither (the plain document). */
export interface ScopeInput {
  documentId: number
  studySessionId?: number | null | undefined
  studyStepId?: number | null | undefined
}

/**
 * A document call scoped to a study session (`studySessionId`, optionally `studyStepId`): the
 * session exists, the caller may use it as `need` asks (the study scoping rule), the step is one
 * of the session's study and the document one of its steps'. Null for a plain call. Its docs are
 * those of `docSessionId`. Runs inside a transaction too (it only reads).
 */
export async function checkSessionScope(ctx: RpcContext, input: ScopeInput, need: AccessLevel): Promise<SessionGrant | null> {
  if (input.studySessionId == null) {
    if (input.studyStepId != null) throw new InvalidInputError('invalid input: studyStepId: a step is named within a study session; send studySessionId too')
    return null
  }
  const sessionId = input.studySessionId
  const decided = await decideSessionAccess(ctx.db, ctx.can, { sessionId, documentId: input.documentId, stepId: input.studyStepId })
  switch (decided) {
    case 'session':
      throw new NotFoundError(`study session ${sessionId} does not exist`)
    case 'step':
      throw new InvalidInputError(`invalid input: studyStepId: step ${input.studyStepId} is not a step of the study of session ${sessionId}`)
    case 'document':
      throw new InvalidInputError(`invalid input: documentId: document ${input.documentId} is not used by the study of session ${sessionId}`)
    case 'forbidden':
      throw new ForbiddenError(`no access to study session ${sessionId}`)
    case 'unreached':
      throw new ConflictError(`study session ${sessionId} has not reached the step of document ${input.documentId} yet`)
  }
  if (need === 'write' && decided.access === 'read') {
    throw new ForbiddenError(decided.participant ? `study ${decided.study.id} is closed: its sessions are read-only` : `study session ${sessionId} is not yours: you may only read it`)
  }
  return decided
}

/**
 * `checkSessionScope`, then the session's copy of the document is started if it was not yet (a
 * participant's use starts it; overseers read what the session has). Outside a transaction only.
 */
export async function sessionScope(engine: SyncEngine, ctx: RpcContext, input: ScopeInput, need: AccessLevel): Promise<SessionGrant | null> {
  const scope = await checkSessionScope(ctx, input, need)
  if (scope?.participant) await startSessionDoc(engine, scope, scope.step, ctx.user.id)
  return scope
}

/** A session entered a step (it started there, or moved there): the session's copy of the step's document starts now, after the commit. */
export async function enterStep(engine: SyncEngine, ctx: RpcContext, sessionId: number, stepId: number | null): Promise<void> {
  const context = await loadSessionContext(ctx.db, sessionId)
  const step = context?.steps.find((row) => row.id === stepId)
  if (context && step) await startSessionDoc(engine, context, step, ctx.user.id)
}
