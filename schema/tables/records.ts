import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'

/**
 * The server's structured log lines at or above the table's level, and what clients log when a
 * setting allows it (`service` "client"): secrets are redacted before a line gets here.
 */
export const log = sqliteTable(
  'log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    level: text('level').notNull(),
    /** The event name of a server line, or a client's message. */
    message: text('message').notNull(),
    service: text('service').notNull(),
    /** The fields of the line, or a client's meta data. */
    meta: text('meta', { mode: 'json' }).$type<unknown>(),
    userId: integer('user_id'),
    timestamp: integer('timestamp', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('log_timestamp').on(table.timestamp), index('log_level').on(table.level)],
)

/** What a user did in the client (`action` and its data), recorded only while they accept statistics. */
export const statistic = sqliteTable(
  'statistic',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    action: text('action').notNull(),
    data: text('data', { mode: 'json' }).$type<unknown>(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    /** The events connection it came over. */
    session: text('session'),
    timestamp: integer('timestamp', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('statistic_user').on(table.userId, table.timestamp)],
)
