import { hasTextContent, parseDocName } from '../../schema/index.js'
import type { AccessLevel, Authorize, ConnectionGrant, UpgradeCredentials } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { loginToken, type SessionStore } from '../auth/index.js'
import { findLiveDocument } from './liveDocument.js'
import { accessAllows, type DocumentAccess, Permissions } from './Permissions.js'
import { decideSessionAccess } from './studySessions.js'

/**
 * Who may open which document over the sync endpoint, by login token:
 * - `document:<id>`: anyone with document access reads; the owner, admins and editors (shares) write.
 * - `annotations:<id>`: anyone who may annotate the document writes (everyone with access but
 *   readers of a reader share, as `Permissions.documentAccess` decides); readers read it.
 * - `pad:<roomId>`: by pad session (the room's pad cookie), read or write as the session says;
 *   updates are attributed to the participant, and the grant follows the session when it changes.
 * - any other name (a scratch doc): signed-in users get `scratchAccess`.
 * - `document:<id>:session:<sid>` and `annotations:<id>:session:<sid>` (a study session's own docs,
 *   `<id>` the document of one of the study's steps): by the study scoping rule of
 *   `decideSessionAccess`; in a collaborative study only its shared session's docs open.
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
    const session = await sessions.resolveSession(loginToken(credentials))
    if (!session) return null
    const { user } = session
    const can = await Permissions.load(db, user)
    // The session's start bounds the typing times its connections may claim (see sync/typedAt.ts).
    const grant = (access: AccessLevel | null) => (access ? { access, userId: String(user.id), privileged: can.isAdmin(), sessionStartedAt: session.startedAt.getTime() } : null)
    if ((typed.kind === 'document' || typed.kind === 'annotations') && typed.studySessionId !== null) {
      return grant(await sessionDocAccess(db, can, typed.kind, typed.documentId, typed.studySessionId))
    }
    switch (typed.kind) {
      case 'document':
      case 'annotations':
        return grant(docAccess(typed.kind, await can.documentAccess(typed.documentId)))
      case 'scratch':
        return grant(scratchAccess)
      case 'malformed':
        return null
    }
  }
}

/** The grant of a document's content or annotations doc for what its user may do with the document: writing content needs `edit`, annotating `annotate`. */
function docAccess(kind: 'document' | 'annotations', access: DocumentAccess | null): AccessLevel | null {
  if (access === null) return null
  return accessAllows(access, kind === 'document' ? 'edit' : 'annotate') ? 'write' : 'read'
}

/** What `can` may do with a study session's doc, of a live document (a content doc only of one that has content). */
async function sessionDocAccess(db: FolioDatabase, can: Permissions, kind: 'document' | 'annotations', documentId: number, sessionId: number): Promise<AccessLevel | null> {
  const decided = await decideSessionAccess(db, can, { sessionId, documentId })
  if (typeof decided === 'string' || decided.docSessionId !== sessionId) return null
  const row = await findLiveDocument(db, documentId)
  if (!row || (kind === 'document' && !hasTextContent(row.type))) return null
  return decided.access
}
