import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns } from './columns.js'
import { tagColorCodes } from '../wire/columnValues.js'

/** A named set of tags that annotations pick from (a study uses one set). */
export const tagSet = sqliteTable(
  'tag_set',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description'),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    projectId: integer('project_id'),
    ...auditColumns(),
  },
  (table) => [index('tag_set_user').on(table.userId)],
)

export const tag = sqliteTable(
  'tag',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description'),
    colorCode: text('color_code', { enum: tagColorCodes }).notNull().default('info'),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    tagSetId: integer('tag_set_id')
      .notNull()
      .references(() => tagSet.id),
    ...auditColumns(),
  },
  (table) => [
    index('tag_tag_set').on(table.tagSetId),
    check('tag_color_code', sql`${table.colorCode} in ('info', 'warning', 'success', 'danger')`),
  ],
)
