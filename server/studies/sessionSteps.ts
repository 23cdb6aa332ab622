import { and, eq } from 'drizzle-orm'
import { studySession, studyStep } from '../../schema/db/index.js'
import { ConflictError, InvalidInputError } from '../errors.js'
import { syncedTables, type TableWriter, writeSyncedRow } from '../realtime/index.js'
import type { SyncEngine } from '../../sync/index.js'
import { enterStep } from './sessionDocs.js'
import { liveStudy, requireOpen, type SessionRow } from './sessionStart.js'
import { inLinkOrder } from './workflowSteps.js'

/**
 * `appDataUpdate` on `study_session`: a participant's own session, as the generic write allows,
 * and its step changes (`studyStepId`) checked: only in a study that is open and has not ended
 * (unless it takes multiple submissions), only to the next step, or back to the one before when
 * the current step allows going back. A change counts in `numberSteps`, moves `studyStepIdMax`
 * when it goes further than ever, and sets `start` if the session had none; the session's copy
 * of the new step's document starts after the commit.
 */
export function sessionWriter(engine: SyncEngine): TableWriter {
  return async (data, ctx) => {
    const { studyStepId, ...rest } = data
    if (studyStepId === undefined) return writeSyncedRow(ctx.db, syncedTables.study_session, ctx.can, rest)
    if (typeof studyStepId !== 'number') throw new InvalidInputError('invalid input: data.studyStepId: the id of a step of the session’s study')
    // Writing nothing checks that the session is the caller's own, and reads it.
    const current = (await writeSyncedRow(ctx.db, syncedTables.study_session, ctx.can, { id: rest.id })).row as SessionRow
    const study = await liveStudy(ctx, current.studyId)
    requireOpen(study)
    const now = new Date()
    if (!study.multipleSubmit && study.end && study.end < now) throw new ConflictError(`study ${study.id} has ended`)
    const steps = inLinkOrder(
      await ctx.db
        .select()
        .from(studyStep)
        .where(and(eq(studyStep.studyId, study.id), eq(studyStep.deleted, false))),
      (step) => step.studyStepPrevious,
    )
    const position = (id: number | null) => steps.findIndex((step) => step.id === id)
    const [from, to] = [position(current.studyStepId), position(studyStepId)]
    if (to === -1) throw new InvalidInputError(`invalid input: data.studyStepId: study ${study.id} has no step ${studyStepId}`)
    const back = to === from - 1 && steps[from]!.allowBackward
    if (to !== from && to !== from + 1 && !back) throw new ConflictError(`step ${studyStepId} is not the next step${steps[from]?.allowBackward ? ' or the one before' : ''}`)

    let related: Awaited<ReturnType<TableWriter>>['related'] = []
    let row = current
    if (to !== from) {
      const furthest = Math.max(position(current.studyStepIdMax), to)
      const [moved] = await ctx.db
        .update(studySession)
        .set({ studyStepId, studyStepIdMax: steps[furthest]!.id, numberSteps: current.numberSteps + 1, start: current.start ?? now })
        .where(eq(studySession.id, current.id))
        .returning()
      row = moved!
      ctx.afterCommit(() => enterStep(engine, ctx, current.id, studyStepId))
    }
    if (Object.keys(rest).length > 1) {
      const written = await writeSyncedRow(ctx.db, syncedTables.study_session, ctx.can, rest)
      row = written.row as SessionRow
      related = written.related
    }
    return { row, previous: current, changed: row !== current, related }
  }
}
