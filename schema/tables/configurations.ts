import { sql } from 'drizzle-orm'
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns } from './columns.js'

/** A named JSON configuration: an assessment rubric (type 0) or a submission validation schema (type 1). */
export const configuration = sqliteTable(
  'configuration',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description'),
    /** The owner: with admins, the one who may change it. */
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    hideInFrontend: integer('hide_in_frontend', { mode: 'boolean' }).notNull().default(false),
    type: integer('type').notNull(),
    content: text('content', { mode: 'json' }).$type<unknown>().notNull(),
    ...auditColumns(),
  },
  (table) => [check('configuration_type', sql`${table.type} in (0, 1)`)],
)
