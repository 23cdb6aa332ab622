import { and, eq, inArray, or } from 'drizzle-orm'
import { type ShareRole, shareRoles } from '../../schema/index.js'
import { document, type FolioDatabase, share, tagSet } from '../../schema/db/index.js'

/** What is shared with a user, directly or through one of their roles: the highest share role per document and per tag set. */
export interface ShareScope {
  documents: ReadonlyMap<number, ShareRole>
  tagSets: ReadonlyMap<number, ShareRole>
}

/** What a user may share: the live documents and tag sets they own (whose shares they see and change). */
export interface OwnedShareTargets {
  documents: number[]
  tagSets: number[]
}

/** The higher of two share roles (`shareRoles` lists them from least to most). */
const higher = (a: ShareRole | undefined, b: ShareRole): ShareRole => (a !== undefined && shareRoles.indexOf(a) > shareRoles.indexOf(b) ? a : b)

/** The live shares naming `userId` or one of `roleIds`, in one query. */
export async function loadShareScope(db: FolioDatabase, userId: number, roleIds: readonly number[]): Promise<ShareScope> {
  const grantee = roleIds.length === 0 ? eq(share.userId, userId) : or(eq(share.userId, userId), inArray(share.userRoleId, [...roleIds]))
  const rows = await db
    .select({ documentId: share.documentId, tagSetId: share.tagSetId, role: share.role })
    .from(share)
    .where(and(eq(share.deleted, false), grantee))
  const documents = new Map<number, ShareRole>()
  const tagSets = new Map<number, ShareRole>()
  for (const row of rows) {
    if (row.documentId !== null) documents.set(row.documentId, higher(documents.get(row.documentId), row.role))
    if (row.tagSetId !== null) tagSets.set(row.tagSetId, higher(tagSets.get(row.tagSetId), row.role))
  }
  return { documents, tagSets }
}

/** The live documents and tag sets `userId` owns, in two queries. */
export async function loadOwnedShareTargets(db: FolioDatabase, userId: number): Promise<OwnedShareTargets> {
  const documents = await db
    .select({ id: document.id })
    .from(document)
    .where(and(eq(document.userId, userId), eq(document.deleted, false)))
  const tagSets = await db
    .select({ id: tagSet.id })
    .from(tagSet)
    .where(and(eq(tagSet.userId, userId), eq(tagSet.deleted, false)))
  return { documents: documents.map((row) => row.id), tagSets: tagSets.map((row) => row.id) }
}
