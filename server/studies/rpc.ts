import { and, eq, isNull } from 'drizzle-orm'
import { closeAllStudiesRight, rpcInputs, studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, project, study, studySession, studyStep } from '../../schema/db/index.js'
import { Permissions } from '../access/index.js'
import type { EventClient } from '../events/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import { refreshEvent, syncedTables, type WriteResult } from '../realtime/index.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import { enterStep } from './sessionDocs.js'
import type { SessionFollowers } from './SessionFollowers.js'
import { liveStudy, restartSession, startSession } from './sessionStart.js'
import { studyWriter, versionColumns } from './studyWriter.js'

/** What the study events need besides the RPC context. */
export interface StudyRpcDeps {
  engine: SyncEngine
  /** The followers of a study's sessions, pushed to after every commit. */
  followers: SessionFollowers
}

/** Records what a study write did, as appDataUpdate does, for the pushes after the commit. */
function recordWrite(ctx: RpcContext, { row, previous, changed, related }: WriteResult): void {
  if (changed) ctx.changes.record('study', row, previous)
  for (const write of related) ctx.changes.record(write.table, write.row, write.previous)
}

/** Who may follow a study's sessions: its owner, admins and the studies full-access right. */
const mayOversee = (can: Permissions, row: { userId: number }): boolean => can.checkUserAccess(row.userId) || can.hasRight(studiesFullAccessRight)

/** Whether `client`'s user, as of now, may still follow the live study `studyId`. */
async function stillOverseeing(db: FolioDatabase, client: EventClient, studyId: number): Promise<boolean> {
  const user = await client.currentUser()
  if (!user) return false
  const [row] = await db
    .select({ userId: study.userId })
    .from(study)
    .where(and(eq(study.id, studyId), eq(study.deleted, false)))
    .limit(1)
  return row !== undefined && mayOversee(await Permissions.load(db, user), row)
}

/**
 * The study events: templates, closing a project's studies, and sessions (starting one,
 * following a study's sessions). Studies themselves are written through appDataUpdate.
 */
export function registerStudyEvents(rpc: RpcRegistry, { engine, followers }: StudyRpcDeps): void {
  const writeStudy = studyWriter(engine)
  const sessionsOf = (ctx: RpcContext, studyId: number) =>
    ctx.db
      .select()
      .from(studySession)
      .where(and(eq(studySession.studyId, studyId), eq(studySession.deleted, false)))

  rpc.define(
    'studySaveAsTemplate',
    rpcInputs.studySaveAsTemplate,
    async ({ id, onlyTemplate, templateData }, ctx) => {
      let data: Record<string, unknown>
      if (onlyTemplate) {
        data = { ...templateData, stepDocuments: templateData!.stepDocuments ?? [] }
      } else {
        const source = await liveStudy(ctx, id!)
        if (!ctx.can.checkUserAccess(source.userId)) throw new ForbiddenError(`only the owner of study ${source.id} and administrators may save it as a template`)
        const steps = await ctx.db
          .select()
          .from(studyStep)
          .where(and(eq(studyStep.studyId, source.id), eq(studyStep.deleted, false)))
        const stepDocuments = steps.map((step) => ({ id: step.workflowStepId!, documentId: step.documentId, configuration: step.configuration ?? undefined }))
        data = { ...versionColumns(source), stepDocuments }
      }
      if (Object.hasOwn(data, 'id')) throw new InvalidInputError('invalid input: templateData.id: a template is a new study; leave id out')
      const written = await writeStudy({ ...data, template: true }, ctx)
      recordWrite(ctx, written)
      return written.row
    },
    { transaction: true, scope: "the study's owner and admins", pushes: ['studyRefresh', 'study_stepRefresh'] },
  )

  rpc.define('studyCloseBulk', rpcInputs.studyCloseBulk, async ({ projectId, ignoreClosedState, progressId }, ctx) => {
    const [visible] = await ctx.db
      .select({ id: project.id })
      .from(project)
      .where(and(await syncedTables.project.visibleWhere(ctx.can), eq(project.id, projectId), eq(project.deleted, false)))
      .limit(1)
    if (!visible) throw new NotFoundError(`project ${projectId} does not exist`)
    const everyone = ctx.can.hasRight(closeAllStudiesRight)
    const candidates = await ctx.db
      .select({ id: study.id })
      .from(study)
      .where(and(eq(study.projectId, projectId), eq(study.deleted, false), everyone ? undefined : eq(study.userId, ctx.user.id), ignoreClosedState ? undefined : isNull(study.closed)))
    const closed: number[] = []
    for (const [index, { id }] of candidates.entries()) {
      // Each study commits on its own: a failure leaves the ones before it closed.
      await ctx.write(async () => {
        const [before] = await ctx.db.select().from(study).where(eq(study.id, id))
        const [row] = await ctx.db.update(study).set({ closed: new Date(), userIdClosed: ctx.user.id }).where(eq(study.id, id)).returning()
        ctx.changes.record('study', row!, before)
      })
      closed.push(id)
      ctx.emit('progressUpdate', { id: progressId ?? null, current: index + 1, total: candidates.length })
    }
    return { closed }
  }, { scope: 'your own studies; with the close-all right, every study of the project', pushes: ['progressUpdate', 'studyRefresh'] })

  rpc.define(
    'studySessionStart',
    rpcInputs.studySessionStart,
    async ({ studyId, studySessionId }, ctx) => {
      const now = new Date()
      if (studySessionId !== undefined) {
        const { row, previous } = await restartSession(ctx, studySessionId, now)
        ctx.changes.record('study_session', row, previous)
        return row
      }
      const row = await startSession(ctx, studyId!, now)
      ctx.changes.record('study_session', row)
      ctx.afterCommit(() => enterStep(engine, ctx, row.id, row.studyStepId))
      return row
    },
    { transaction: true, scope: 'studies open to you, within their session limits; restart only your own session', pushes: ['study_sessionRefresh'] },
  )

  rpc.define('studySessionSubscribe', rpcInputs.studySessionSubscribe, async ({ studyId }, ctx) => {
    if (!ctx.client) throw new InvalidInputError('studySessionSubscribe needs the events websocket (ws://<host>/events?token=…)')
    const row = await liveStudy(ctx, studyId)
    if (!mayOversee(ctx.can, row)) throw new ForbiddenError(`only the owner of study ${row.id} may follow its sessions`)
    followers.follow(ctx.client, studyId, (client) => stillOverseeing(ctx.db, client, studyId))
    ctx.emit(refreshEvent('study_session'), await sessionsOf(ctx, studyId))
    return null
  }, { scope: "the study's owner, admins and the studies full-access right", pushes: ['study_sessionRefresh'] })

  rpc.define('studySessionUnsubscribe', rpcInputs.studySessionUnsubscribe, ({ studyId }, ctx) => {
    // No access check: leaving must work after access is gone or the study was deleted.
    if (!ctx.client) throw new InvalidInputError('studySessionUnsubscribe needs the events websocket (ws://<host>/events?token=…)')
    followers.unfollow(ctx.client, studyId)
    return null
  })
}
