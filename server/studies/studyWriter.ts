import { eq } from 'drizzle-orm'
import { stepDocumentsInput } from '../../schema/index.js'
import { study } from '../../schema/db/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { InvalidInputError } from '../errors.js'
import { syncedTables, type TableWriter, type TableWriters, type WriteResult, writeSyncedRow } from '../realtime/index.js'
import type { RpcContext } from '../rpc/index.js'
import { closedColumn } from './closedFlag.js'
import { projectWriter } from './projectWriter.js'
import { sessionWriter } from './sessionSteps.js'
import { runContentForks } from './contentForks.js'
import { createStudySteps, type StudyRow } from './studySteps.js'

type Row = Record<string, unknown>

/** Sets the columns clients never write (who created or closed it, the version it replaces). */
async function stamp(ctx: RpcContext, id: number, set: Partial<StudyRow>): Promise<StudyRow> {
  const [row] = await ctx.db.update(study).set(set).where(eq(study.id, id)).returning()
  return row!
}

/** Who closed the study, when this write opens or closes it. */
const closedBy = (ctx: RpcContext, row: Row): Partial<StudyRow> => ({ userIdClosed: row.closed ? ctx.user.id : null })

/** The writable columns of `row` as `appDataUpdate` takes them (timestamps as milliseconds), but `closed`: a new version starts open. */
export function versionColumns(row: StudyRow): Row {
  const keys = [...syncedTables.study.writable.keys()].filter((key) => key !== 'closed')
  return Object.fromEntries(keys.map((key) => [key, (row as Row)[key] instanceof Date ? ((row as Row)[key] as Date).getTime() : (row as Row)[key]]))
}

/**
 * `appDataUpdate` on `study`, as the original's clients drive it, in the call's transaction:
 * - a new study needs `stepDocuments`; its steps (and their hidden documents) are made from its workflow;
 * - `stepDocuments` on an open study makes a new version with these steps (`parentStudyId`) and
 *   closes the old one, whose sessions stay with it; the answer is the new version's id. A closed
 *   study's steps no longer change;
 * - `closed: true` closes (and `false` reopens) a study, noting who did; `deleted` deletes it with
 *   its steps and sessions.
 * Hidden copies of documents get their content after the commit, forked from the source's state.
 */
export function studyWriter(engine: SyncEngine): TableWriter {
  return async (data, ctx) => {
    const { stepDocuments: rawSteps, ...rest } = data
    const parsedSteps = rawSteps === undefined ? undefined : stepDocumentsInput.safeParse(rawSteps)
    if (parsedSteps && !parsedSteps.success) throw new InvalidInputError(`invalid input: data.stepDocuments: ${parsedSteps.error.issues[0]!.message}`)
    const stepDocuments = parsedSteps?.data
    const values: Row = { ...rest, ...closedColumn(rest) }
    const id = typeof values.id === 'number' && values.id !== 0 ? values.id : null

    const withSteps = async (result: WriteResult, row: StudyRow): Promise<WriteResult> => {
      const steps = await createStudySteps(ctx, row, stepDocuments!)
      if (steps.forks.length > 0) ctx.afterCommit(() => runContentForks(engine, ctx.user.id, steps.forks))
      return { ...result, row, related: [...result.related, ...steps.writes] }
    }

    if (id === null) {
      if (!stepDocuments) throw new InvalidInputError('invalid input: data.stepDocuments: required for a new study: the documents of its steps (a list, which may be empty)')
      const created = await writeSyncedRow(ctx.db, syncedTables.study, ctx.can, values)
      const row = await stamp(ctx, created.row.id as number, { createdByUserId: ctx.user.id, ...closedBy(ctx, created.row) })
      return withSteps(created, row)
    }
    if (!stepDocuments) {
      const written = await writeSyncedRow(ctx.db, syncedTables.study, ctx.can, values)
      if (!Object.hasOwn(values, 'closed') || !written.changed) return written
      return { ...written, row: await stamp(ctx, id, closedBy(ctx, written.row)) }
    }

    // Writing nothing checks that the caller may change the study, and reads it.
    const current = (await writeSyncedRow(ctx.db, syncedTables.study, ctx.can, { id })).row as StudyRow
    if (current.closed) throw new InvalidInputError(`study ${id} is closed: its steps no longer change; make a new study from it`)
    const { id: _id, closed: _closed, ...changes } = values
    const closing = await writeSyncedRow(ctx.db, syncedTables.study, ctx.can, { id, closed: Date.now() })
    const closedOld = { table: 'study' as const, row: await stamp(ctx, id, { userIdClosed: ctx.user.id }), previous: closing.previous }
    const version = await writeSyncedRow(ctx.db, syncedTables.study, ctx.can, { ...versionColumns(current), ...changes })
    const row = await stamp(ctx, version.row.id as number, { parentStudyId: id, createdByUserId: ctx.user.id })
    return withSteps({ ...version, related: [closedOld, ...version.related] }, row)
  }
}

/** The tables whose `appDataUpdate` writes the studies feature handles: studies, sessions (step changes), and projects (`closed: true`, deletion with their studies). */
export function studyTableWriters(engine: SyncEngine): TableWriters {
  return {
    study: studyWriter(engine),
    study_session: sessionWriter(engine),
    project: projectWriter,
  }
}
