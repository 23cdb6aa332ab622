import { and, eq } from 'drizzle-orm'
import { document } from '../../schema/index.js'
import type { FolioDatabase } from '../../sync/index.js'

export type DocumentRow = typeof document.$inferSelect

/**
 * The document `id` unless it is missing or deleted: the one query every access check and every
 * document event starts from (a deleted document is gone for everyone, admins included).
 */
export function liveDocument(db: FolioDatabase, id: number): DocumentRow | undefined {
  return db
    .select()
    .from(document)
    .where(and(eq(document.id, id), eq(document.deleted, false)))
    .get()
}
