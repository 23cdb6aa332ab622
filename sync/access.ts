/** What a connection may do with a document: `write` sends updates, `read` only receives them. */
export type AccessLevel = 'write' | 'read'

/**
 * The one access hook of the sync endpoint: the level a token grants on a document, or null
 * to refuse the connection. The server supplies the policy; the engine only enforces it.
 */
export type Authorize = (docName: string, token: string | null) => AccessLevel | null | Promise<AccessLevel | null>
