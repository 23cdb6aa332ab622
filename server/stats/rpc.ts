import { and, asc, eq } from 'drizzle-orm'
import { rpcInputs } from '../../schema/index.js'
import { type FolioDatabase, statistic, user } from '../../schema/db/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { RpcRegistry } from '../rpc/index.js'
import type { StatsRecorder } from './StatsRecorder.js'

/** Entries `statsGet` answers when the caller names no limit. */
const defaultStatsPage = 1000

/** Recorded entries of users who accept statistics now, oldest first: withdrawn consent hides what was recorded before. */
function consentingStats(db: FolioDatabase, userId: number | undefined, limit: number, page: number) {
  return db
    .select({ id: statistic.id, action: statistic.action, data: statistic.data, userId: statistic.userId, session: statistic.session, timestamp: statistic.timestamp })
    .from(statistic)
    .innerJoin(user, eq(user.id, statistic.userId))
    .where(and(eq(user.acceptStats, true), userId === undefined ? undefined : eq(statistic.userId, userId)))
    .orderBy(asc(statistic.timestamp), asc(statistic.id))
    .limit(limit)
    .offset(page * limit)
}

/** `stats` (anyone, recorded with consent), and the admins' `statsGet` and `statsGetByUser`, which show consenting users only. */
export function registerStatsEvents(rpc: RpcRegistry, { stats }: { stats: StatsRecorder }): void {
  rpc.define('stats', rpcInputs.stats, async ({ action, data }, ctx) => ({ recorded: await stats.record(ctx.user.id, ctx.client?.id ?? null, action, data) }), {
    scope: 'recorded only for users who accept statistics',
  })

  rpc.define(
    'statsGet',
    rpcInputs.statsGet,
    async (query, ctx) => {
      await stats.flush()
      return consentingStats(ctx.db, query?.userId, query?.limit ?? defaultStatsPage, query?.page ?? 0)
    },
    { access: 'admin' },
  )

  rpc.define('statsGetByUser', rpcInputs.statsGetByUser, async ({ userId }, ctx) => {
    const [target] = await ctx.db
      .select({ acceptStats: user.acceptStats })
      .from(user)
      .where(and(eq(user.id, userId), eq(user.deleted, false)))
      .limit(1)
    if (!target) throw new NotFoundError(`user ${userId} does not exist`)
    if (!target.acceptStats) throw new ForbiddenError(`user ${userId} does not accept statistics`)
    await stats.flush()
    const answer = { success: true, userId, statistics: await consentingStats(ctx.db, userId, Number.MAX_SAFE_INTEGER, 0) }
    ctx.emit('statsDataByUser', answer)
    return answer
  }, { access: 'admin', scope: 'users who accept statistics', pushes: ['statsDataByUser'] })
}
