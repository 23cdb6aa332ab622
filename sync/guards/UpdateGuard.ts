import type * as Y from 'yjs'

/** Who sent a client update, as a guard needs to know it. */
export interface GuardedWriter {
  readonly userId: string | null
  /** Administrators may change every entry. */
  readonly privileged: boolean
}

/**
 * Checks what a client's update did to a live document and repairs what it must not do. It sees
 * every transaction (to keep its view current) and is told which ones came from a client.
 */
export interface UpdateGuard {
  /** Called after each transaction; `writer` is set when a client's update made it. */
  afterTransaction(transaction: Y.Transaction, writer: GuardedWriter | null): void
}

/** Picks the guard for a document by name, or null for an unguarded document. */
export type GuardFactory = (docName: string, doc: Y.Doc) => UpdateGuard | null
