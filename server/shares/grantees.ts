import { and, eq } from 'drizzle-orm'
import { type FolioDatabase, share, user, userRole, userRoleMatching } from '../../schema/db/index.js'
import { InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'
import type { ShareTarget } from './targets.js'

type ShareRow = typeof share.$inferSelect

/** Whom a share names: one user or one role. */
export type Grantee = { userId: number; userRoleId: null } | { userId: null; userRoleId: number }

/** The user (by id or user name) or role `input` names, checked: it exists, and is neither the caller nor the target's owner. */
export async function findGrantee(ctx: RpcContext, input: { userId?: number; userName?: string; userRoleId?: number }, target: ShareTarget): Promise<Grantee> {
  if (input.userRoleId !== undefined) {
    const [role] = await ctx.db
      .select({ id: userRole.id })
      .from(userRole)
      .where(and(eq(userRole.id, input.userRoleId), eq(userRole.deleted, false)))
      .limit(1)
    if (!role) throw new NotFoundError(`role ${input.userRoleId} does not exist`)
    return { userId: null, userRoleId: role.id }
  }
  const byId = input.userId !== undefined
  const [found] = await ctx.db
    .select({ id: user.id })
    .from(user)
    .where(and(byId ? eq(user.id, input.userId!) : eq(user.userName, input.userName!), eq(user.deleted, false)))
    .limit(1)
  if (!found) throw new NotFoundError(byId ? `user ${input.userId} does not exist` : `no user is named "${input.userName}"`)
  const field = byId ? 'userId' : 'userName'
  if (found.id === ctx.user.id) throw new InvalidInputError(`invalid input: ${field}: you cannot share with yourself`)
  if (found.id === target.row.userId) throw new InvalidInputError(`invalid input: ${field}: that user owns this ${target.kind} already`)
  return { userId: found.id, userRoleId: null }
}

/** The accounts a share reaches: its user, or every live holder of its role. */
export async function audienceOf(db: FolioDatabase, row: ShareRow): Promise<number[]> {
  if (row.userId !== null) return [row.userId]
  const holders = await db
    .select({ userId: userRoleMatching.userId })
    .from(userRoleMatching)
    .where(and(eq(userRoleMatching.userRoleId, row.userRoleId!), eq(userRoleMatching.deleted, false)))
  return holders.map((holder) => holder.userId)
}
