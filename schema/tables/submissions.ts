import { type AnySQLiteColumn, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns } from './columns.js'
import { configuration } from './configurations.js'
import { document } from './documents.js'
import { project } from './projects.js'

/**
 * A student's submission: the documents they handed in, grouped for review. A copy names the
 * submission it was copied from (`parentSubmissionId`).
 */
export const submission = sqliteTable(
  'submission',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    createdByUserId: integer('created_by_user_id').references(() => user.id),
    projectId: integer('project_id').references(() => project.id),
    parentSubmissionId: integer('parent_submission_id').references((): AnySQLiteColumn => submission.id),
    /** The submission's id in the learning platform it was imported from. */
    extId: integer('ext_id'),
    group: integer('group'),
    additionalSettings: text('additional_settings', { mode: 'json' }).$type<unknown>(),
    validationConfigurationId: integer('validation_configuration_id').references(() => configuration.id),
    ...auditColumns(),
  },
  (table) => [index('submission_user').on(table.userId)],
)

/** Which submission a document belongs to: at most one each. */
export const submissionDocument = sqliteTable(
  'submission_document',
  {
    documentId: integer('document_id')
      .primaryKey()
      .references(() => document.id),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submission.id),
  },
  (table) => [index('submission_document_submission').on(table.submissionId)],
)
