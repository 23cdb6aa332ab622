import { eq } from 'drizzle-orm'
import { rpcInputs } from '../../schema/index.js'
import { share } from '../../schema/db/index.js'
import { ConflictError, InvalidInputError } from '../errors.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import { audienceOf, findGrantee } from './grantees.js'
import { liveShareFor, liveSharesOf, withGranteeNames } from './listing.js'
import { manageableShare, recordShareWrite, type ShareTarget, shareableTarget } from './targets.js'

/** The target's two id columns, as a share row holds them. */
const targetColumns = (target: ShareTarget) => (target.kind === 'document' ? { documentId: target.row.id, tagSetId: null } : { documentId: null, tagSetId: target.row.id })

const describe = (target: ShareTarget) => `${target.kind} ${target.row.id}`

/**
 * The share events: the owner of a document or tag set, or an admin, shares it with a user or a
 * role as editor, annotator or reader, changes the role, or revokes it; `shareList` lists its
 * shares with the names of whom they name. Every write goes out as `shareRefresh` and as the
 * target's row (`documentRefresh`, `tag_setRefresh`), so those it names see it appear and go, and
 * `LiveAccess` re-checks the target's open sockets at once: a revoke closes them with 4403, a
 * downgrade from editor makes them read-only. What each role allows is `Permissions.documentAccess`.
 */
export function registerShareEvents(rpc: RpcRegistry): void {
  const writes = { transaction: true, scope: 'the owner of the document or tag set, and admins', pushes: ['shareRefresh', 'documentRefresh', 'tag_setRefresh', 'tagRefresh'] }
  const answer = async (ctx: RpcContext, row: typeof share.$inferSelect) => (await withGranteeNames(ctx.db, [row]))[0]!

  rpc.define(
    'shareCreate',
    rpcInputs.shareCreate,
    async (input, ctx) => {
      const target = await shareableTarget(ctx, input)
      const grantee = await findGrantee(ctx, input, target)
      const existing = await liveShareFor(ctx.db, targetColumns(target), grantee)
      if (existing) throw new ConflictError(`${describe(target)} is already shared with them (share ${existing.id}, as ${existing.role}): change its role with shareUpdate`)
      const [row] = await ctx.db
        .insert(share)
        .values({ ...targetColumns(target), ...grantee, role: input.role, createdByUserId: ctx.user.id })
        .returning()
      await recordShareWrite(ctx, target, row!, null)
      return answer(ctx, row!)
    },
    writes,
  )

  rpc.define(
    'shareUpdate',
    rpcInputs.shareUpdate,
    async ({ shareId, role }, ctx) => {
      const { share: previous, target } = await manageableShare(ctx, shareId)
      if (previous.role === role) return answer(ctx, previous)
      const [row] = await ctx.db.update(share).set({ role }).where(eq(share.id, shareId)).returning()
      await recordShareWrite(ctx, target, row!, previous)
      return answer(ctx, row!)
    },
    writes,
  )

  rpc.define(
    'shareRevoke',
    rpcInputs.shareRevoke,
    async ({ shareId }, ctx) => {
      const { share: previous, target } = await manageableShare(ctx, shareId)
      const [row] = await ctx.db.update(share).set({ deleted: true, deletedAt: new Date() }).where(eq(share.id, shareId)).returning()
      await recordShareWrite(ctx, target, row!, previous, await audienceOf(ctx.db, previous))
      return answer(ctx, row!)
    },
    writes,
  )

  rpc.define('shareList', rpcInputs.shareList, async (input, ctx) => {
    const target = await shareableTarget(ctx, input)
    return withGranteeNames(ctx.db, await liveSharesOf(ctx.db, targetColumns(target)))
  }, { scope: 'the owner of the document or tag set, and admins' })
}

/** `appDataUpdate` leaves shares alone: their writes need the checks above, and their targets' pushes. */
export async function refuseShareWrite(): Promise<never> {
  throw new InvalidInputError('shares are written by shareCreate, shareUpdate and shareRevoke')
}
