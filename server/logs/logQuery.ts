import { and, asc, count, desc, eq, isNull, like, type SQL } from 'drizzle-orm'
import type { z } from 'zod'
import type { logGetAllInput } from '../../schema/index.js'
import { type FolioDatabase, log, user } from '../../schema/db/index.js'

type LogQuery = NonNullable<z.infer<typeof logGetAllInput>>

/** Entries per page when the caller names no limit. */
const defaultPageSize = 10

const columns = { timestamp: log.timestamp, level: log.level, service: log.service, userId: log.userId, message: log.message } as const

/** A page of log entries, each with its user's name as `creator_name`, and how many match in all. */
export async function logPage(db: FolioDatabase, { filter, order, limit = defaultPageSize, page = 0 }: LogQuery) {
  const conditions: (SQL | undefined)[] = [
    filter?.level === undefined ? undefined : eq(log.level, filter.level),
    filter?.service === undefined ? undefined : eq(log.service, filter.service),
    filter?.userId === undefined ? undefined : filter.userId === null ? isNull(log.userId) : eq(log.userId, filter.userId),
    // LIKE's own wildcards in the text are matched literally.
    filter?.message === undefined ? undefined : like(log.message, `%${filter.message.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
  ]
  const where = and(...conditions)
  const ordering = (order ?? [['timestamp', 'DESC']]).map(([column, direction]) => (direction.toUpperCase() === 'ASC' ? asc : desc)(columns[column]))
  const rows = await db
    .select({ id: log.id, level: log.level, message: log.message, service: log.service, meta: log.meta, userId: log.userId, timestamp: log.timestamp, creator_name: user.userName })
    .from(log)
    .leftJoin(user, eq(user.id, log.userId))
    .where(where)
    .orderBy(...ordering, desc(log.id))
    .limit(limit)
    .offset(page * limit)
  const [total] = await db.select({ n: count() }).from(log).where(where)
  return { rows, count: total!.n }
}
