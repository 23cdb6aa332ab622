import { parseDocName } from '../../schema/index.js'
import type { AccessLevel, Authorize, ConnectionGrant, UpgradeCredentials } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { loginToken, type SessionStore } from '../auth/index.js'
import { Permissions } from './Permissions.js'

/**
 * Who may open which document over the sync endpoint, by login token:
 * - `document:<id>`: anyone with document access reads; the owner and admins write.
 * - `annotations:<id>`: anyone with document access writes (annotating is reading, as in the original).
 * - `pad:<roomId>`: by pad session (the room's pad cookie), read or write as the session says;
 *   updates are attributed to the participant, and the grant follows the session when it changes.
 * - any other name (a scratch doc): signed-in users get `scratchAccess`.
 * - `document:<id>:session:<sid>` and `annotations:<id>:session:<sid>` (a study session's own docs): refused.
 * Anonymous connections are refused.
 */
export function createSyncPolicy(
  db: FolioDatabase,
  sessions: SessionStore,
  scratchAccess: AccessLevel | null,
  padGrant: (roomId: string, credentials: UpgradeCredentials) => ConnectionGrant | null | Promise<ConnectionGrant | null>,
): Authorize {
  return async (docName, credentials) => {
    const typed = parseDocName(docName)
    if (typed.kind === 'pad') return padGrant(typed.roomId, credentials)
    // Study session docs open only through the study's scoping rule, which is not in this policy yet.
    if ((typed.kind === 'document' || typed.kind === 'annotations') && typed.studySessionId !== null) return null
    const user = sessions.resolve(loginToken(credentials))
    if (!user) return null
    const can = await Permissions.load(db, user)
    const grant = (access: AccessLevel | null) => (access ? { access, userId: String(user.id), privileged: can.isAdmin() } : null)
    switch (typed.kind) {
      case 'document':
        if (!(await can.checkDocumentAccess(typed.documentId))) return null
        return grant((await can.canEditDocument(typed.documentId)) ? 'write' : 'read')
      case 'annotations':
        return grant((await can.checkDocumentAccess(typed.documentId)) ? 'write' : null)
      case 'scratch':
        return grant(scratchAccess)
      case 'malformed':
        return null
    }
  }
}
