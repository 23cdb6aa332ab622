import { and, eq } from 'drizzle-orm'
import { studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, study, studySession, studyStep } from '../../schema/db/index.js'
import type { Permissions } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'

/**
 * Checks that the caller may read the docs of study session `studySessionId` on document
 * `documentId`, by the study scoping rule: admins and the studies full-access right see every
 * session, a study's owner all of its sessions, a participant their own session, and in a
 * collaborative study every session of it. The document must be one of the study's step documents.
 */
export async function requireSessionAccess(db: FolioDatabase, can: Permissions, documentId: number, studySessionId: number): Promise<void> {
  const [session] = await db
    .select({ studyId: studySession.studyId, userId: studySession.userId, owner: study.userId, collab: study.collab })
    .from(studySession)
    .innerJoin(study, eq(study.id, studySession.studyId))
    .where(and(eq(studySession.id, studySessionId), eq(studySession.deleted, false), eq(study.deleted, false)))
  if (!session) throw new NotFoundError(`study session ${studySessionId} does not exist`)
  const [step] = await db
    .select({ id: studyStep.id })
    .from(studyStep)
    .where(and(eq(studyStep.studyId, session.studyId), eq(studyStep.documentId, documentId)))
    .limit(1)
  if (!step) throw new NotFoundError(`document ${documentId} is not a document of study session ${studySessionId}`)
  if (can.hasRight(studiesFullAccessRight) || session.owner === can.user.id || session.userId === can.user.id) return
  if (session.collab && (await can.studyScope()).collaborating.includes(session.studyId)) return
  throw new ForbiddenError(`no access to study session ${studySessionId}`)
}
