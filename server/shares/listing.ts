import { and, eq, inArray, isNull } from 'drizzle-orm'
import { type FolioDatabase, share, user, userRole } from '../../schema/db/index.js'

type ShareRow = typeof share.$inferSelect

/** A share with the name of the user or role it names (null for the other), as the share events answer it. */
export type ShareListing = ShareRow & { userName: string | null; roleName: string | null }

/** `rows` with the names of whom they name, in one query per kind. */
export async function withGranteeNames(db: FolioDatabase, rows: readonly ShareRow[]): Promise<ShareListing[]> {
  const userIds = [...new Set(rows.flatMap((row) => (row.userId === null ? [] : [row.userId])))]
  const roleIds = [...new Set(rows.flatMap((row) => (row.userRoleId === null ? [] : [row.userRoleId])))]
  const users = userIds.length === 0 ? [] : await db.select({ id: user.id, name: user.userName }).from(user).where(inArray(user.id, userIds))
  const roles = roleIds.length === 0 ? [] : await db.select({ id: userRole.id, name: userRole.name }).from(userRole).where(inArray(userRole.id, roleIds))
  const userNames = new Map(users.map((row) => [row.id, row.name]))
  const roleNames = new Map(roles.map((row) => [row.id, row.name]))
  return rows.map((row) => ({
    ...row,
    userName: row.userId === null ? null : (userNames.get(row.userId) ?? null),
    roleName: row.userRoleId === null ? null : (roleNames.get(row.userRoleId) ?? null),
  }))
}

/** The live shares of one document or tag set, oldest first. */
export function liveSharesOf(db: FolioDatabase, target: { documentId: number | null; tagSetId: number | null }) {
  return db
    .select()
    .from(share)
    .where(
      and(
        eq(share.deleted, false),
        target.documentId === null ? isNull(share.documentId) : eq(share.documentId, target.documentId),
        target.tagSetId === null ? isNull(share.tagSetId) : eq(share.tagSetId, target.tagSetId),
      ),
    )
    .orderBy(share.id)
}

/** The live share of `target` naming `grantee`, if there is one. */
export async function liveShareFor(db: FolioDatabase, target: { documentId: number | null; tagSetId: number | null }, grantee: { userId: number | null; userRoleId: number | null }): Promise<ShareRow | undefined> {
  const rows = await liveSharesOf(db, target)
  return rows.find((row) => row.userId === grantee.userId && row.userRoleId === grantee.userRoleId)
}
