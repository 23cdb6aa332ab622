import { and, eq, isNull } from 'drizzle-orm'
import { documentData, type FolioDatabase } from '../../schema/db/index.js'

export type DocumentDataRow = typeof documentData.$inferSelect

/** Where a `document_data` value lives: one key of a document, within a study session and step or not. */
export interface DocumentDataScope {
  documentId: number
  studySessionId: number | null
  studyStepId: number | null
  key: string
}

/**
 * Upserts the value of `scope` as written by `userId`, answering the row and the one it replaced
 * (null for a new one). The upsert key includes soft-deleted rows: saving revives them. Run it in
 * the caller's write transaction.
 */
export async function saveDocumentData(db: FolioDatabase, scope: DocumentDataScope, value: unknown, userId: number): Promise<{ row: DocumentDataRow; previous: DocumentDataRow | null }> {
  const [previous] = await db
    .select()
    .from(documentData)
    .where(
      and(
        eq(documentData.documentId, scope.documentId),
        scope.studySessionId === null ? isNull(documentData.studySessionId) : eq(documentData.studySessionId, scope.studySessionId),
        scope.studyStepId === null ? isNull(documentData.studyStepId) : eq(documentData.studyStepId, scope.studyStepId),
        eq(documentData.key, scope.key),
      ),
    )
    .limit(1)
  const [row] = previous
    ? await db.update(documentData).set({ value, userId, deleted: false, deletedAt: null }).where(eq(documentData.id, previous.id)).returning()
    : await db
        .insert(documentData)
        .values({ ...scope, value, userId })
        .returning()
  return { row: row!, previous: previous ?? null }
}
