import { and, count, eq, isNull } from 'drizzle-orm'
import { study, studySession, studyStep } from '../../schema/db/index.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'
import type { StudyRow } from './studySteps.js'

export type SessionRow = typeof studySession.$inferSelect

/** The live study `id`; NotFound otherwise. */
export async function liveStudy(ctx: RpcContext, id: number): Promise<StudyRow> {
  const [row] = await ctx.db
    .select()
    .from(study)
    .where(and(eq(study.id, id), eq(study.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`study ${id} does not exist`)
  return row
}

/** Sessions run only in a study that is open and not a template. */
export function requireOpen(row: StudyRow): void {
  if (row.template) throw new ConflictError(`study ${row.id} is a template: make a study from it to run sessions`)
  if (row.closed) throw new ConflictError(`study ${row.id} is closed`)
}

/** The live sessions of `studyId`, of one user when `userId` is given. */
async function sessionCount(ctx: RpcContext, studyId: number, userId?: number): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(studySession)
    .where(and(eq(studySession.studyId, studyId), eq(studySession.deleted, false), userId === undefined ? undefined : eq(studySession.userId, userId)))
  return row!.n
}

/**
 * Starts a new session of the caller in `studyId`, in the call's transaction (so two starts never
 * both take the last place): the study is open, `now` lies within its `start`/`end`, and neither
 * `limitSessions` nor `limitSessionsPerUser` is reached (0 is no limit). It begins at the first step.
 */
export async function startSession(ctx: RpcContext, studyId: number, now: Date): Promise<SessionRow> {
  const row = await liveStudy(ctx, studyId)
  requireOpen(row)
  if (row.start && now < row.start) throw new ConflictError(`study ${studyId} starts at ${row.start.toISOString()}`)
  if (row.end && now > row.end) throw new ConflictError(`study ${studyId} ended at ${row.end.toISOString()}`)
  if (row.limitSessions > 0 && (await sessionCount(ctx, studyId)) >= row.limitSessions) {
    throw new ConflictError(`study ${studyId} has all the ${row.limitSessions} sessions it allows`)
  }
  if (row.limitSessionsPerUser > 0 && (await sessionCount(ctx, studyId, ctx.user.id)) >= row.limitSessionsPerUser) {
    throw new ConflictError(`you have all the ${row.limitSessionsPerUser} sessions study ${studyId} allows each participant`)
  }
  const [first] = await ctx.db
    .select({ id: studyStep.id })
    .from(studyStep)
    .where(and(eq(studyStep.studyId, studyId), isNull(studyStep.studyStepPrevious), eq(studyStep.deleted, false)))
    .limit(1)
  const stepId = first?.id ?? null
  const [session] = await ctx.db.insert(studySession).values({ studyId, userId: ctx.user.id, studyStepId: stepId, studyStepIdMax: stepId, start: now }).returning()
  return session!
}

/** Restarts the caller's own session `sessionId` (its `start` becomes `now`) in a study that is still open; another user's session is refused. */
export async function restartSession(ctx: RpcContext, sessionId: number, now: Date): Promise<{ row: SessionRow; previous: SessionRow }> {
  const [previous] = await ctx.db
    .select()
    .from(studySession)
    .where(and(eq(studySession.id, sessionId), eq(studySession.deleted, false)))
    .limit(1)
  if (!previous) throw new NotFoundError(`study session ${sessionId} does not exist`)
  if (previous.userId !== ctx.user.id) throw new ForbiddenError('you may only restart your own study session')
  requireOpen(await liveStudy(ctx, previous.studyId))
  const [row] = await ctx.db.update(studySession).set({ start: now }).where(eq(studySession.id, sessionId)).returning()
  return { row: row!, previous }
}
