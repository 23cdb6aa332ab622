import { and, eq, inArray, type SQL } from 'drizzle-orm'
import { study, studySession, studyStep } from '../../schema/db/index.js'
import { syncedTables, type RelatedWrite, type TableWriter, writeSyncedRow } from '../realtime/index.js'
import type { RpcContext } from '../rpc/index.js'
import { closedColumn } from './closedFlag.js'

type Row = Record<string, unknown>
type StudyTable = typeof study | typeof studyStep | typeof studySession

/**
 * `appDataUpdate` on `project`: `closed: true` closes it now; deleting it deletes its studies
 * with their steps and sessions, everyone's (as the original's hook did: a study lives in its
 * project), in the call's transaction.
 */
export const projectWriter: TableWriter = async (data, ctx) => {
  const written = await writeSyncedRow(ctx.db, syncedTables.project, ctx.can, { ...data, ...closedColumn(data) })
  if (written.row.deleted !== true || written.previous?.deleted !== false) return written
  return { ...written, related: [...written.related, ...(await deleteStudiesOf(ctx, written.row.id as number))] }
}

async function deleteStudiesOf(ctx: RpcContext, projectId: number): Promise<RelatedWrite[]> {
  const studies = await softDelete(ctx, 'study', study, and(eq(study.projectId, projectId), eq(study.deleted, false)))
  const ids = studies.map(({ row }) => row.id as number)
  if (ids.length === 0) return []
  const steps = await softDelete(ctx, 'study_step', studyStep, and(inArray(studyStep.studyId, ids), eq(studyStep.deleted, false)))
  const sessions = await softDelete(ctx, 'study_session', studySession, and(inArray(studySession.studyId, ids), eq(studySession.deleted, false)))
  return [...studies, ...steps, ...sessions]
}

/** Soft-deletes the rows `where` picks, answering each as a related write with the row before. */
async function softDelete(ctx: RpcContext, name: 'study' | 'study_step' | 'study_session', table: StudyTable, where: SQL | undefined): Promise<RelatedWrite[]> {
  const before = new Map(((await ctx.db.select().from(table).where(where)) as Row[]).map((row) => [row.id, row]))
  if (before.size === 0) return []
  const rows = (await ctx.db.update(table).set({ deleted: true, deletedAt: new Date() }).where(where).returning()) as Row[]
  return rows.map((row) => ({ table: name, row, previous: before.get(row.id) ?? null }))
}
