import { and, eq, inArray } from 'drizzle-orm'
import { manageSubmissionsRight, rpcInputs } from '../../schema/index.js'
import { submission } from '../../schema/db/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { NotFoundError } from '../errors.js'
import type { RpcRegistry } from '../rpc/index.js'
import { runContentForks } from '../studies/index.js'
import { copySubmission, type SubmissionRow } from './copySubmission.js'

/**
 * `submissionAssignGroup`: puts submissions in a group (with additional settings), or first copies
 * them with their documents and groups the copies. Only holders of the submissions right (and
 * admins) may; the original checked nothing. One transaction: every submission is grouped, or none.
 */
export function registerSubmissionEvents(rpc: RpcRegistry, { engine }: { engine: SyncEngine }): void {
  rpc.define(
    'submissionAssignGroup',
    rpcInputs.submissionAssignGroup,
    async ({ group, isCopied, submissionIds, additionalSettings }, ctx) => {
      const ids = [...new Set(submissionIds)]
      const found = await ctx.db
        .select()
        .from(submission)
        .where(and(inArray(submission.id, ids), eq(submission.deleted, false)))
      const missing = ids.filter((id) => !found.some((row) => row.id === id))
      if (missing.length > 0) throw new NotFoundError(`submissions ${missing.join(', ')} do not exist`)

      const copies = []
      let targets: SubmissionRow[] = ids.map((id) => found.find((row) => row.id === id)!)
      if (isCopied) {
        for (const original of targets) {
          const copy = await copySubmission(ctx, original)
          for (const row of copy.copiedDocuments) ctx.changes.record('document', row)
          if (copy.forks.length > 0) ctx.afterCommit(() => runContentForks(engine, ctx.user.id, copy.forks))
          copies.push(copy)
        }
        targets = copies.map((copy) => copy.copiedSubmission)
      }
      const set = { ...(group === undefined ? {} : { group }), ...(additionalSettings === undefined ? {} : { additionalSettings }) }
      const written = Object.keys(set).length === 0 ? targets : await ctx.db.update(submission).set(set).where(inArray(submission.id, targets.map((row) => row.id))).returning()
      for (const row of written) ctx.changes.record('submission', row, isCopied ? null : targets.find((target) => target.id === row.id)!)
      if (!isCopied) return { submissionsUpdated: written.length }
      return {
        copiedSubmissions: copies.map(({ copiedSubmission, copiedDocuments, originalSubmissionId }) => ({
          copiedSubmission: written.find((row) => row.id === copiedSubmission.id)!,
          copiedDocuments,
          originalSubmissionId,
        })),
      }
    },
    { transaction: true, access: { right: manageSubmissionsRight }, pushes: ['submissionRefresh', 'documentRefresh'] },
  )
}
