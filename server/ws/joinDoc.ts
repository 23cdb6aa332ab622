import { type Authorize, CloseCode, type Connection, type ConnectionGrant, DocLoadError, isValidDocName, type Logger, type Recheck, type SyncEngine, type SyncSocket, type UpgradeCredentials } from '../../sync/index.js'
import type { CountedSocket } from './UserSockets.js'

/** What a document connection runs on: a websocket of `/sync/<doc>`, or one channel of a `/mux` socket. */
export interface DocSocket extends SyncSocket, CountedSocket {}

export interface DocJoinDeps {
  engine: SyncEngine
  log: Logger
}

const invalidNameReason = 'invalid document name: use letters, digits, "_", "-", "." in ":"-separated parts, at most 200 characters'

/** What `credentials` grant on `docName`: null for a name that is not one, or no access. */
export function grantFor(authorize: Authorize, docName: string | null, credentials: UpgradeCredentials): Promise<ConnectionGrant | null> {
  return Promise.resolve(docName !== null && isValidDocName(docName) ? authorize(docName, credentials) : null)
}

/**
 * Puts `socket` on `docName` as both sync endpoints do: a bad name closes it with 4400, no grant
 * with 4403; `admit` counts it against the grant's account (and closes it past a limit); then the
 * engine connects it, deciding its grant again with `recheck` whenever access may have changed
 * (see LiveAccess). A doc that cannot be loaded closes it with 1011. Null when it was refused.
 */
export function joinDoc(
  deps: DocJoinDeps,
  socket: DocSocket,
  docName: string | null,
  grant: ConnectionGrant | null,
  /** How to decide the grant on the doc again, from the credentials it opened with. */
  recheck: (docName: string) => ReturnType<Recheck>,
  admit: (userId: string, docName: string) => boolean,
): Connection | null {
  if (docName === null || !isValidDocName(docName)) {
    socket.close(CloseCode.badRequest, invalidNameReason)
    return null
  }
  if (!grant) {
    socket.close(CloseCode.forbidden, `access to document "${docName}" denied`)
    return null
  }
  // Counted against the account the grant names (for a pad connection: its participant).
  if (grant.userId !== null && !admit(grant.userId, docName)) return null
  try {
    const connection = deps.engine.connect(socket, docName, grant, () => recheck(docName))
    socket.once('close', () => connection.closed())
    return connection
  } catch (error) {
    if (!(error instanceof DocLoadError)) throw error
    deps.log.error('sync.doc_load_failed', { doc: docName, error: String(error.cause) })
    socket.close(CloseCode.internalError, error.message)
    return null
  }
}
