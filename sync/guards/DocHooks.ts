import type * as Y from 'yjs'
import type { UpdateContext } from '../../schema/index.js'
import type { ClientWriter } from '../writers.js'

/**
 * Code the server attaches to a live document: a guard that repairs what a client's update must
 * not do, or an observer that turns committed changes into pushes.
 */
export interface DocHooks {
  /** After each transaction; `writer` is set when a client's update made it (server-side changes are trusted). */
  afterTransaction?(transaction: Y.Transaction, writer: ClientWriter | null): void
  /**
   * Where the pending updates of `userId` are being written, stored beside their author in each log
   * record (the writer's study session and its current step). Asked once per writer and commit,
   * inside the store's write turn, so what it reads is committed state; null when the hook has
   * nothing to add.
   */
  recordContext?(userId: string | null): UpdateContext | null
  /** After the document's pending updates were stored and broadcast. */
  committed?(): void
}

/** The hooks to attach to a document when it loads, by name; none for most documents. */
export type DocHooksFactory = (docName: string, doc: Y.Doc) => DocHooks[]
