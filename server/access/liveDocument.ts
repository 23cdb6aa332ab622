import { and, eq } from 'drizzle-orm'
import { document, type FolioDatabase } from '../../schema/db/index.js'

export type DocumentRow = typeof document.$inferSelect

/**
 * The document `id` unless it is missing or deleted: the one query every access check and every
 * document event starts from (a deleted document is gone for everyone, admins included).
 */
export async function findLiveDocument(db: FolioDatabase, id: number): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(document)
    .where(and(eq(document.id, id), eq(document.deleted, false)))
    .limit(1)
  return row
}
