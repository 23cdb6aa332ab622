import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'

export const setting = sqliteTable('setting', {
  key: text('key').primaryKey(),
  value: text('value'),
  type: text('type').notNull().default('string'),
  description: text('description'),
  /** Admin-only settings never reach other users (the original leaked SMTP passwords this way). */
  onlyAdmin: integer('only_admin', { mode: 'boolean' }).notNull().default(false),
})

export const userSetting = sqliteTable(
  'user_setting',
  {
    key: text('key').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    value: text('value'),
  },
  (table) => [primaryKey({ columns: [table.key, table.userId] })],
)
