import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user, userRole } from './accounts.js'
import { auditColumns } from './columns.js'
import { document } from './documents.js'
import { tagSet } from './tags.js'
import { shareRoles } from '../wire/columnValues.js'

/**
 * One document or one tag set shared with one user or every holder of one role, as editor,
 * annotator or reader. Exactly one target column and exactly one grantee column are set; a
 * revoked share is soft-deleted, so the table keeps who shared what with whom.
 */
export const share = sqliteTable(
  'share',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id').references(() => document.id),
    tagSetId: integer('tag_set_id').references(() => tagSet.id),
    userId: integer('user_id').references(() => user.id),
    userRoleId: integer('user_role_id').references(() => userRole.id),
    role: text('role', { enum: shareRoles }).notNull(),
    /** Who shared it: the target's owner or an admin. */
    createdByUserId: integer('created_by_user_id')
      .notNull()
      .references(() => user.id),
    ...auditColumns(),
  },
  (table) => [
    index('share_document').on(table.documentId),
    index('share_tag_set').on(table.tagSetId),
    index('share_user').on(table.userId),
    index('share_user_role').on(table.userRoleId),
    check('share_role', sql`${table.role} in ('reader', 'annotator', 'editor')`),
    check('share_one_target', sql`(${table.documentId} is null) <> (${table.tagSetId} is null)`),
    check('share_one_grantee', sql`(${table.userId} is null) <> (${table.userRoleId} is null)`),
  ],
)
