/** What a connection may do with a document: `write` sends updates, `read` only receives them. */
export type AccessLevel = 'write' | 'read'

/** What the server grants a connection: its access level and the account its updates are attributed to. */
export interface ConnectionGrant {
  access: AccessLevel
  userId: string | null
  /** Administrators: document guards let them change every entry. */
  privileged?: boolean
}

/**
 * The one access hook of the sync endpoint: what a token grants on a document, or null to
 * refuse the connection. The server supplies the policy; the engine only enforces it.
 */
export type Authorize = (docName: string, token: string | null) => ConnectionGrant | null | Promise<ConnectionGrant | null>
