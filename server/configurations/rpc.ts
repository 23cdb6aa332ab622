import { and, eq } from 'drizzle-orm'
import { rpcInputs } from '../../schema/index.js'
import { configuration, user } from '../../schema/db/index.js'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcRegistry } from '../rpc/index.js'

/**
 * `configurationAdd` (admins, for themselves or another owner) and `configurationUpdate` (the
 * owner or an admin; the original let anyone change any configuration's content).
 */
export function registerConfigurationEvents(rpc: RpcRegistry): void {
  rpc.define(
    'configurationAdd',
    rpcInputs.configurationAdd,
    async ({ userId, ...values }, ctx) => {
      const ownerId = userId ?? ctx.user.id
      const [owner] = await ctx.db
        .select({ id: user.id })
        .from(user)
        .where(and(eq(user.id, ownerId), eq(user.deleted, false)))
        .limit(1)
      if (!owner) throw new InvalidInputError(`invalid input: userId: user ${ownerId} does not exist`)
      const [row] = await ctx.db
        .insert(configuration)
        .values({ ...values, userId: ownerId })
        .returning()
      ctx.changes.record('configuration', row!)
      return row!
    },
    { transaction: true, access: 'admin', pushes: ['configurationRefresh'] },
  )

  rpc.define(
    'configurationUpdate',
    rpcInputs.configurationUpdate,
    async ({ configurationId, content }, ctx) => {
      const [previous] = await ctx.db
        .select()
        .from(configuration)
        .where(and(eq(configuration.id, configurationId), eq(configuration.deleted, false)))
        .limit(1)
      if (!previous) throw new NotFoundError(`configuration ${configurationId} does not exist`)
      if (!ctx.can.checkUserAccess(previous.userId)) throw new ForbiddenError(`only the owner of configuration ${configurationId} and administrators may change it`)
      const [row] = await ctx.db.update(configuration).set({ content }).where(eq(configuration.id, configurationId)).returning()
      ctx.changes.record('configuration', row!, previous)
      return row!
    },
    { transaction: true, scope: "the configuration's owner and admins", pushes: ['configurationRefresh'] },
  )
}
