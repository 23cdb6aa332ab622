import type { AccessLevel, Authorize, FolioDatabase } from '../../sync/index.js'
import { Permissions } from '../access/index.js'
import { parseDocName } from '../access/docNames.js'
import type { SessionStore } from './sessions.js'

/**
 * Who may open which document over the sync endpoint, by login token:
 * - `document:<id>`: anyone with document access reads; the owner and admins write.
 * - `annotations:<id>`: anyone with document access writes (annotating is reading, as in the original).
 * - `pad:<roomId>`: refused until rooms exist.
 * - any other name (a scratch doc): signed-in users get `scratchAccess`.
 * Anonymous connections are refused.
 */
export function createSyncPolicy(db: FolioDatabase, sessions: SessionStore, scratchAccess: AccessLevel | null): Authorize {
  return (docName, token) => {
    const user = sessions.resolve(token)
    if (!user) return null
    const can = new Permissions(db, user)
    const grant = (access: AccessLevel | null) => (access ? { access, userId: String(user.id), privileged: can.isAdmin() } : null)
    const typed = parseDocName(docName)
    switch (typed.kind) {
      case 'document':
        if (!can.checkDocumentAccess(typed.documentId)) return null
        return grant(can.canEditDocument(typed.documentId) ? 'write' : 'read')
      case 'annotations':
        return grant(can.checkDocumentAccess(typed.documentId) ? 'write' : null)
      case 'scratch':
        return grant(scratchAccess)
      case 'pad':
      case 'malformed':
        return null
    }
  }
}
