import { and, eq, inArray, ne } from 'drizzle-orm'
import { type FolioDatabase, user, userRole, userRoleMatching } from '../../schema/db/index.js'
import { ConflictError } from '../errors.js'
import type { RowWrite } from '../rpc/index.js'

/** The live roles of each of `userIds`, by user. */
export async function rolesOf(db: FolioDatabase, userIds: readonly number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const byUser = new Map<number, { id: number; name: string }[]>(userIds.map((id) => [id, []]))
  if (userIds.length === 0) return byUser
  const rows = await db
    .select({ userId: userRoleMatching.userId, id: userRole.id, name: userRole.name })
    .from(userRoleMatching)
    .innerJoin(userRole, eq(userRole.id, userRoleMatching.userRoleId))
    .where(and(inArray(userRoleMatching.userId, [...userIds]), eq(userRoleMatching.deleted, false), eq(userRole.deleted, false)))
    .orderBy(userRole.id)
  for (const { userId, id, name } of rows) byUser.get(userId)!.push({ id, name })
  return byUser
}

/** The names of `userId`'s live roles. */
export async function roleNamesOf(db: FolioDatabase, userId: number): Promise<string[]> {
  return ((await rolesOf(db, [userId])).get(userId) ?? []).map((role) => role.name)
}

/**
 * Matches `userId` to exactly `roleIds`, inside the caller's transaction: the missing matchings
 * are added, the others soft-deleted (so subscribers learn of it). Returns the written rows for
 * the call's ChangeSet; none when the roles were already these.
 */
export async function replaceRoles(db: FolioDatabase, userId: number, roleIds: readonly number[]): Promise<RowWrite[]> {
  const wanted = new Set(roleIds)
  const current = await db
    .select()
    .from(userRoleMatching)
    .where(and(eq(userRoleMatching.userId, userId), eq(userRoleMatching.deleted, false)))
  const writes: RowWrite[] = []
  const now = new Date()
  for (const previous of current) {
    if (wanted.delete(previous.userRoleId)) continue
    const [row] = await db.update(userRoleMatching).set({ deleted: true, deletedAt: now }).where(eq(userRoleMatching.id, previous.id)).returning()
    writes.push({ row: row!, previous })
  }
  if (wanted.size > 0) {
    const added = await db
      .insert(userRoleMatching)
      .values([...wanted].map((userRoleId) => ({ userId, userRoleId })))
      .returning()
    for (const row of added) writes.push({ row, previous: null })
  }
  return writes
}

/** The id of the `admin` role. */
export async function adminRoleId(db: FolioDatabase): Promise<number> {
  const [role] = await db.select({ id: userRole.id }).from(userRole).where(eq(userRole.name, 'admin')).limit(1)
  return role!.id
}

/** Throws ConflictError when taking the admin role from `userId` would leave no live administrator to give it back. */
export async function keepAnAdministrator(db: FolioDatabase, userId: number): Promise<void> {
  const [other] = await db
    .select({ id: user.id })
    .from(userRoleMatching)
    .innerJoin(user, eq(user.id, userRoleMatching.userId))
    .where(and(eq(userRoleMatching.userRoleId, await adminRoleId(db)), eq(userRoleMatching.deleted, false), ne(user.id, userId), eq(user.deleted, false)))
    .limit(1)
  if (!other) throw new ConflictError('the last administrator cannot lose the admin role')
}
