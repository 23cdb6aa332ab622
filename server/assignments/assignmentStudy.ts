import { and, eq, inArray, isNull } from 'drizzle-orm'
import { document, study, studySession, studyStep, submission, user } from '../../schema/db/index.js'
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import { syncedTables, type TableWriter } from '../realtime/index.js'
import type { RpcContext } from '../rpc/index.js'
import { type StudyRow, versionColumns } from '../studies/index.js'
import { type AssignmentTarget, fillTemplateMarkers } from './templateMarkers.js'

/** The step documents one assignment overrides, by workflow step id. */
export type StepOverrides = readonly { id: number; documentId?: number | null }[]

/** A live template study the caller may see; NotFound otherwise, and refused when it is no template. */
export async function templateStudy(ctx: RpcContext, id: number): Promise<StudyRow> {
  const [row] = await ctx.db
    .select()
    .from(study)
    .where(and(eq(study.id, id), eq(study.deleted, false), await syncedTables.study.visibleWhere(ctx.can)))
    .limit(1)
  if (!row) throw new NotFoundError(`study ${id} does not exist`)
  if (!row.template) throw new InvalidInputError(`invalid input: template: study ${id} is not a template`)
  return row
}

/** The owners of the documents or submissions to review, which must exist and be visible to the caller. */
export async function taskOwners(ctx: RpcContext, type: AssignmentTarget['type'], ids: readonly number[]): Promise<Map<number, number>> {
  const table = type === 'submission' ? submission : document
  const synced = syncedTables[type]
  const rows = await ctx.db
    .select({ id: table.id, userId: table.userId })
    .from(table)
    .where(and(inArray(table.id, [...ids]), eq(table.deleted, false), await synced.visibleWhere(ctx.can)))
  const owners = new Map(rows.map((row) => [row.id, row.userId]))
  const missing = ids.filter((id) => !owners.has(id))
  if (missing.length > 0) throw new NotFoundError(`${type}s ${missing.join(', ')} do not exist`)
  return owners
}

/** The reviewers, who must be live accounts. */
export async function requireUsers(ctx: RpcContext, ids: readonly number[]): Promise<void> {
  const rows = await ctx.db
    .select({ id: user.id })
    .from(user)
    .where(and(inArray(user.id, [...ids]), eq(user.deleted, false)))
  const missing = ids.filter((id) => !rows.some((row) => row.id === id))
  if (missing.length > 0) throw new NotFoundError(`users ${missing.join(', ')} do not exist`)
}

/**
 * Makes the assignment study of one reviewed document or submission from `template`, in the
 * call's transaction: the template's steps with their documents (or the overrides) and their
 * configurations' template markers filled in, owned by the author of what is reviewed (who so sees
 * the reviewers' sessions), one session per reviewer, resumable. The author never reviews.
 */
export async function createAssignmentStudy(
  ctx: RpcContext,
  writeStudy: TableWriter,
  template: StudyRow,
  target: AssignmentTarget & { ownerId: number },
  reviewers: readonly number[],
  overrides: StepOverrides = [],
): Promise<StudyRow> {
  const steps = await ctx.db
    .select()
    .from(studyStep)
    .where(and(eq(studyStep.studyId, template.id), eq(studyStep.deleted, false)))
  const stepDocuments = steps
    .filter((step) => step.workflowStepId !== null)
    .map((step) => {
      const override = overrides.find((entry) => entry.id === step.workflowStepId)
      return {
        id: step.workflowStepId!,
        documentId: override ? (override.documentId ?? null) : step.documentId,
        configuration: fillTemplateMarkers(step.configuration, target) as never,
      }
    })
  const columns = { ...versionColumns(template), userId: ctx.user.id, template: false, limitSessions: reviewers.length, limitSessionsPerUser: 1, resumable: true }
  const written = await writeStudy({ ...columns, stepDocuments }, ctx)
  // Made as the caller, then handed to the author with the documents made for it.
  const [row] = await ctx.db.update(study).set({ userId: target.ownerId }).where(eq(study.id, written.row.id as number)).returning()
  ctx.changes.record('study', row!)
  for (const related of written.related) {
    if (related.table !== 'document') ctx.changes.record(related.table, related.row, related.previous)
    else {
      const [owned] = await ctx.db.update(document).set({ userId: target.ownerId }).where(eq(document.id, related.row.id as number)).returning()
      ctx.changes.record('document', owned!)
    }
  }
  await addReviewers(ctx, row!, reviewers)
  return row!
}

/**
 * One session per reviewer in the assignment study `row`, in the call's transaction, raising
 * `limitSessions` where they would not fit. Refused for its author (nobody reviews their own
 * work), for a reviewer who has a session in it already, and for a closed study or a template.
 */
export async function addReviewers(ctx: RpcContext, row: StudyRow, reviewers: readonly number[]): Promise<void> {
  if (row.template) throw new ConflictError(`study ${row.id} is a template: assign reviewers to a study made from it`)
  if (row.closed) throw new ConflictError(`study ${row.id} is closed`)
  if (reviewers.includes(row.userId)) throw new ForbiddenError(`user ${row.userId} wrote what study ${row.id} reviews and cannot review it`)
  await requireUsers(ctx, reviewers)
  const sessions = await ctx.db
    .select({ userId: studySession.userId })
    .from(studySession)
    .where(and(eq(studySession.studyId, row.id), eq(studySession.deleted, false)))
  const already = reviewers.filter((id) => sessions.some((session) => session.userId === id))
  if (already.length > 0) throw new ConflictError(`users ${already.join(', ')} review study ${row.id} already`)
  const needed = sessions.length + reviewers.length
  if (row.limitSessions !== 0 && needed > row.limitSessions) {
    const [raised] = await ctx.db.update(study).set({ limitSessions: needed }).where(eq(study.id, row.id)).returning()
    ctx.changes.record('study', raised!, row)
  }
  const [first] = await ctx.db
    .select({ id: studyStep.id })
    .from(studyStep)
    .where(and(eq(studyStep.studyId, row.id), isNull(studyStep.studyStepPrevious), eq(studyStep.deleted, false)))
    .limit(1)
  const stepId = first?.id ?? null
  for (const userId of reviewers) {
    const [session] = await ctx.db.insert(studySession).values({ studyId: row.id, userId, studyStepId: stepId, studyStepIdMax: stepId }).returning()
    ctx.changes.record('study_session', session!)
  }
}
