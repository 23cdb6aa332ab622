/** What a connection may do with a document: `write` sends updates, `read` only receives them. */
export type AccessLevel = 'write' | 'read'

/** What the server grants a connection: its access level and the account its updates are attributed to. */
export interface ConnectionGrant {
  access: AccessLevel
  userId: string | null
  /** Administrators: document guards let them change every entry. */
  privileged?: boolean
  /**
   * Who holds the revocable credential the grant came from (a pad participant), so the server can
   * downgrade or end their connections when it changes (`SyncEngine.restrictConnections`).
   */
  revocationKey?: string
  /**
   * The name the connection must present in its awareness (`user.name`, as y-quill, y-prosemirror
   * and the pad page set it): its entries naming anyone else are ignored, so no cursor can claim
   * another participant's name. Unset: names are not checked.
   */
  presenceName?: string
  /**
   * When the session the grant came from began (a login, a pad session; ms since the epoch): the
   * earliest typing time the connection's timed updates may claim. Unset: the connection's own start.
   */
  sessionStartedAt?: number
}

/** What a websocket upgrade presented: its `token` query parameter and its cookies. */
export interface UpgradeCredentials {
  queryToken: string | null
  cookie(name: string): string | null
}

/**
 * The one access hook of the sync endpoint: what the upgrade's credentials grant on a document, or
 * null to refuse the connection. The server supplies the policy; the engine only enforces it.
 */
export type Authorize = (docName: string, credentials: UpgradeCredentials) => ConnectionGrant | null | Promise<ConnectionGrant | null>

/** Decides a connection's grant again, from the credentials it opened with; null withdraws access. */
export type Recheck = () => ConnectionGrant | null | Promise<ConnectionGrant | null>

/** Which open connections a re-check concerns: all, or those of one account or of documents a predicate picks. */
export interface RecheckScope {
  userId?: string
  docName?: (name: string) => boolean
}
