import type { FolioDatabase } from '../../schema/db/index.js'
import { decideSessionAccess, type Permissions } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'

/**
 * Checks that the caller may read the docs of study session `studySessionId` on document
 * `documentId`, by the study scoping rule the session docs open by (`decideSessionAccess`): the
 * study's owner, the studies full-access right and admins every session, participants their own
 * (in a collaborative study every one) once they reached the step. NotFound for a missing session
 * or a document none of its study's steps uses.
 */
export async function requireSessionAccess(db: FolioDatabase, can: Permissions, documentId: number, studySessionId: number): Promise<void> {
  const decided = await decideSessionAccess(db, can, { sessionId: studySessionId, documentId })
  if (typeof decided === 'object') return
  if (decided === 'session') throw new NotFoundError(`study session ${studySessionId} does not exist`)
  if (decided === 'document') throw new NotFoundError(`document ${documentId} is not a document of study session ${studySessionId}`)
  throw new ForbiddenError(`no access to study session ${studySessionId}`)
}
