import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns } from './columns.js'

/** A project groups documents, studies and tag sets; `closed` is when it was closed (a client sends `closed: true`). */
export const project = sqliteTable(
  'project',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    description: text('description'),
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    closed: integer('closed', { mode: 'timestamp_ms' }),
    ...auditColumns(),
  },
  (table) => [index('project_user').on(table.userId)],
)
