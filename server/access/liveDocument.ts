import { and, eq } from 'drizzle-orm'
import { document, type FolioDatabase } from '../../schema/db/index.js'

export type DocumentRow = typeof document.$inferSelect

/** The query of the document `id` unless it is missing or deleted: at most one row. */
const liveDocumentQuery = (db: FolioDatabase, id: number) =>
  db
    .select()
    .from(document)
    .where(and(eq(document.id, id), eq(document.deleted, false)))
    .limit(1)

/**
 * The document `id` unless it is missing or deleted: the one query every access check and every
 * document event starts from (a deleted document is gone for everyone, admins included). This is
 * the synchronous form `Permissions` needs; handlers await `findLiveDocument`.
 */
export function liveDocument(db: FolioDatabase, id: number): DocumentRow | undefined {
  return liveDocumentQuery(db, id).get()
}

/** `liveDocument` in the awaited form, which PostgreSQL's driver runs as well. */
export async function findLiveDocument(db: FolioDatabase, id: number): Promise<DocumentRow | undefined> {
  const [row] = await liveDocumentQuery(db, id)
  return row
}
