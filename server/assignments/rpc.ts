import { randomInt } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import { bulkAssignmentsRight, rpcInputs, singleAssignmentsRight } from '../../schema/index.js'
import { study, userRoleMatching } from '../../schema/db/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import { studyTableWriters } from '../studies/index.js'
import { addReviewers, createAssignmentStudy, requireUsers, taskOwners, templateStudy } from './assignmentStudy.js'
import { distributeReviews, type ReviewerQuota } from './distribute.js'
import { seededRandom } from './seededRandom.js'

const distinct = (ids: readonly number[], path: string): number[] => {
  if (new Set(ids).size !== ids.length) throw new InvalidInputError(`invalid input: ${path}: a user is listed twice`)
  return [...ids]
}

/** Each reviewer's quota: the sum of what `roleSelection` gives the roles they hold (mode role), or their own entry (mode reviewer). */
async function quotasOf(ctx: RpcContext, mode: 'role' | 'reviewer', reviewers: readonly number[], selection: Record<string, number>): Promise<ReviewerQuota[]> {
  if (mode === 'reviewer') {
    const unknown = Object.keys(selection).filter((id) => !reviewers.includes(Number(id)))
    if (unknown.length > 0) throw new InvalidInputError(`invalid input: reviewerSelection: users ${unknown.join(', ')} are not among selectedReviewer`)
    return reviewers.map((id) => ({ id, quota: selection[id] ?? 0 }))
  }
  const roleIds = Object.entries(selection).filter(([, quota]) => quota > 0).map(([roleId]) => Number(roleId))
  const matches = roleIds.length === 0 ? [] : await ctx.db
    .select({ userId: userRoleMatching.userId, roleId: userRoleMatching.userRoleId })
    .from(userRoleMatching)
    .where(and(inArray(userRoleMatching.userId, [...reviewers]), inArray(userRoleMatching.userRoleId, roleIds), eq(userRoleMatching.deleted, false)))
  const empty = roleIds.filter((roleId) => !matches.some((match) => match.roleId === roleId))
  if (empty.length > 0) throw new ConflictError(`no selected reviewer holds role ${empty.join(', ')}: add reviewers with the role or give it no reviews`)
  return reviewers.map((id) => ({ id, quota: matches.filter((match) => match.userId === id).reduce((sum, match) => sum + selection[match.roleId]!, 0) }))
}

/**
 * The peer-review assignment events. Only holders of the assignment rights (and admins) may
 * assign, which the original never checked: `assignmentCreate` and `assignmentAdd` the single,
 * `assignmentCreateBulk` the bulk assignments right. Each is one transaction.
 */
export function registerAssignmentEvents(rpc: RpcRegistry, { engine }: { engine: SyncEngine }): void {
  const writeStudy = studyTableWriters(engine).study!

  rpc.define(
    'assignmentCreate',
    rpcInputs.assignmentCreate,
    async ({ template, assignment, reviewer, documents, assignmentType = 'document' }, ctx) => {
      const owners = await taskOwners(ctx, assignmentType, [assignment])
      const target = { type: assignmentType, id: assignment, ownerId: owners.get(assignment)! }
      return createAssignmentStudy(ctx, writeStudy, await templateStudy(ctx, template), target, distinct(reviewer, 'reviewer'), documents)
    },
    { transaction: true, access: { right: singleAssignmentsRight }, pushes: ['studyRefresh', 'study_stepRefresh', 'study_sessionRefresh'] },
  )

  rpc.define(
    'assignmentAdd',
    rpcInputs.assignmentAdd,
    async ({ studyId, reviewer }, ctx) => {
      const [row] = await ctx.db
        .select()
        .from(study)
        .where(and(eq(study.id, studyId), eq(study.deleted, false)))
        .limit(1)
      if (!row) throw new NotFoundError(`study ${studyId} does not exist`)
      if (row.createdByUserId !== ctx.user.id && !ctx.can.isAdmin()) throw new ForbiddenError(`only whoever assigned study ${studyId} and administrators may add reviewers to it`)
      await addReviewers(ctx, row, distinct(reviewer, 'reviewer'))
      return null
    },
    { transaction: true, access: { right: singleAssignmentsRight }, scope: 'whoever assigned the study, and admins', pushes: ['studyRefresh', 'study_sessionRefresh'] },
  )

  rpc.define(
    'assignmentCreateBulk',
    rpcInputs.assignmentCreateBulk,
    async (input, ctx) => {
      const type = input.assignmentType ?? 'document'
      const reviewers = distinct(input.selectedReviewer, 'selectedReviewer')
      if (new Set(input.selectedAssignments).size !== input.selectedAssignments.length) throw new InvalidInputError('invalid input: selectedAssignments: an assignment is listed twice')
      const template = await templateStudy(ctx, input.template)
      const owners = await taskOwners(ctx, type, input.selectedAssignments)
      await requireUsers(ctx, reviewers)
      const quotas = await quotasOf(ctx, input.mode, reviewers, (input.mode === 'role' ? input.roleSelection : input.reviewerSelection)!)
      const seed = input.seed ?? randomInt(2 ** 32)
      const tasks = input.selectedAssignments.map((id) => ({ id, ownerId: owners.get(id)! }))
      const distribution = distributeReviews(tasks, quotas, seededRandom(seed))
      if (!distribution.met) {
        const short = distribution.shortfalls.map(({ reviewerId, missing }) => `user ${reviewerId} ${missing} short`).join(', ')
        throw new ConflictError(`the quotas cannot be met: reviewers review different ${type}s that are not their own, and there are too few (${short})`)
      }
      const assignments: Record<number, number[]> = {}
      const studies: Record<number, number> = {}
      for (const [index, task] of tasks.entries()) {
        const taskReviewers = distribution.reviewersOf.get(task.id)!
        assignments[task.id] = taskReviewers
        if (taskReviewers.length > 0) {
          const row = await createAssignmentStudy(ctx, writeStudy, template, { type, ...task }, taskReviewers, input.documents?.[index] ?? [])
          studies[task.id] = row.id
        }
        // One transaction for all: the progress is of its work, the studies appear with its commit.
        ctx.emit('progressUpdate', { id: input.progressId ?? null, current: index + 1, total: tasks.length })
      }
      return { seed, assignments, studies }
    },
    { transaction: true, access: { right: bulkAssignmentsRight }, pushes: ['progressUpdate', 'studyRefresh', 'study_stepRefresh', 'study_sessionRefresh'] },
  )
}
