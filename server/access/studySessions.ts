import { and, eq, min } from 'drizzle-orm'
import { studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, study, studySession, studyStep } from '../../schema/db/index.js'
import type { AccessLevel } from '../../sync/index.js'
import type { Permissions } from './Permissions.js'

export type StudyRow = typeof study.$inferSelect
export type SessionRow = typeof studySession.$inferSelect
export type StepRow = typeof studyStep.$inferSelect

/** A study session as its docs are decided: the session (deleted or not), its live study, the study's live steps. */
export interface SessionContext {
  session: SessionRow
  study: StudyRow
  steps: StepRow[]
  /**
   * The session whose docs hold the session's work: the session itself, or in a collaborative
   * study its first session (the lowest id, deleted or not), so the one shared doc never moves.
   */
  docSessionId: number
}

/** Why a session scope is refused, for the caller to turn into its own answer. */
export type SessionRefusal = 'session' | 'step' | 'document' | 'forbidden' | 'unreached'

/** A session scope the caller may use: what it is about and what they may do there. */
export interface SessionGrant extends SessionContext {
  /** The study's step whose document the scope names (the first step holding it). */
  step: StepRow
  access: AccessLevel
  /** The caller takes part in the session (and so has reached the step); false for overseers. */
  participant: boolean
}

/** The study session `sessionId` with its live study and steps; null when either is missing. */
export async function loadSessionContext(db: FolioDatabase, sessionId: number): Promise<SessionContext | null> {
  const [found] = await db
    .select({ session: studySession, study })
    .from(studySession)
    .innerJoin(study, eq(study.id, studySession.studyId))
    .where(and(eq(studySession.id, sessionId), eq(study.deleted, false)))
    .limit(1)
  if (!found) return null
  const steps = await db
    .select()
    .from(studyStep)
    .where(and(eq(studyStep.studyId, found.study.id), eq(studyStep.deleted, false)))
    .orderBy(studyStep.id)
  let docSessionId = found.session.id
  if (found.study.collab) {
    const [first] = await db.select({ id: min(studySession.id) }).from(studySession).where(eq(studySession.studyId, found.study.id))
    docSessionId = first!.id!
  }
  return { ...found, steps, docSessionId }
}

/** Steps are created in their study's order, so the step holding a document first is the one with the lowest id. */
const stepHolding = (steps: readonly StepRow[], documentId: number) => steps.find((step) => step.documentId === documentId)

/** Whether a session whose furthest step is `furthestId` has reached `step`: the chain of steps before the furthest one holds it. */
function hasReached(steps: readonly StepRow[], furthestId: number | null, step: StepRow): boolean {
  const byId = new Map(steps.map((row) => [row.id, row]))
  for (let at = furthestId === null ? undefined : byId.get(furthestId), hops = 0; at && hops <= steps.length; at = byId.get(at.studyStepPrevious ?? -1), hops++) {
    if (at.id === step.id) return true
  }
  return false
}

/**
 * The scoping rule of a study session's docs and calls, for `documentId` used by one of the
 * study's steps (and `stepId`, when the call names one, a step of that study):
 * - participants use their own session's docs, and in a collaborative study every session's, once
 *   their session has reached the step that uses the document; they write while the study is
 *   open and read once it is closed;
 * - the study's owner and the studies full-access right read every session's docs; admins write;
 * - everyone else is refused, and so is everyone for a deleted session (but the shared session
 *   of a collaborative study, whose docs stay the study's).
 */
export async function decideSessionAccess(
  db: FolioDatabase,
  can: Permissions,
  scope: { sessionId: number; documentId: number; stepId?: number | null },
): Promise<SessionGrant | SessionRefusal> {
  const context = await loadSessionContext(db, scope.sessionId)
  if (!context || (context.session.deleted && context.session.id !== context.docSessionId)) return 'session'
  const { study: row, steps } = context
  if (scope.stepId != null && !steps.some((step) => step.id === scope.stepId)) return 'step'
  const step = stepHolding(steps, scope.documentId)
  if (!step) return 'document'

  const ownSessions = row.collab
    ? await db
        .select()
        .from(studySession)
        .where(and(eq(studySession.studyId, row.id), eq(studySession.userId, can.user.id), eq(studySession.deleted, false)))
    : context.session.userId === can.user.id && !context.session.deleted
      ? [context.session]
      : []
  const participates = ownSessions.length > 0
  if (participates && ownSessions.some((own) => hasReached(steps, own.studyStepIdMax, step))) {
    return { ...context, step, access: row.closed && !can.isAdmin() ? 'read' : 'write', participant: true }
  }
  if (can.isAdmin()) return { ...context, step, access: 'write', participant: false }
  if (row.userId === can.user.id || can.hasRight(studiesFullAccessRight)) return { ...context, step, access: 'read', participant: false }
  return participates ? 'unreached' : 'forbidden'
}
