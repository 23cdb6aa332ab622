import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { auditColumns } from './columns.js'

/** A group of the dashboard menu; `admin` groups are shown to administrators only. */
export const navGroup = sqliteTable('nav_group', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  icon: text('icon'),
  description: text('description'),
  admin: integer('admin', { mode: 'boolean' }).notNull().default(false),
  order: integer('order').notNull().default(0),
  ...auditColumns(),
})

/** One entry of the dashboard menu: the route `path` it opens and the client `component` it shows there. */
export const navElement = sqliteTable('nav_element', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  icon: text('icon'),
  description: text('description'),
  admin: integer('admin', { mode: 'boolean' }).notNull().default(false),
  order: integer('order').notNull().default(0),
  groupId: integer('group_id').references(() => navGroup.id),
  path: text('path').notNull(),
  /** The entry the dashboard opens first. */
  default: integer('default', { mode: 'boolean' }).notNull().default(false),
  component: text('component').notNull(),
  /** Other paths that open the same entry. */
  alias: text('alias', { mode: 'json' }).$type<string[]>(),
  ...auditColumns(),
})
