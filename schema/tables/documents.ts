import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns, publicHash } from './columns.js'
import { documentType } from '../wire/columnValues.js'

export const document = sqliteTable(
  'document',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** The public id used in links (`/document/<hash>`), a random UUID; not the content hash. */
    hash: publicHash(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    type: integer('type').notNull().default(documentType.html),
    projectId: integer('project_id'),
    parentDocumentId: integer('parent_document_id'),
    hideInFrontend: integer('hide_in_frontend', { mode: 'boolean' }).notNull().default(false),
    originalFilename: text('original_filename'),
    readyForReview: integer('ready_for_review', { mode: 'boolean' }).notNull().default(false),
    /** Who uploaded the document (documentAdd); not the owner when an admin uploaded it for them. */
    uploadedByUserId: integer('uploaded_by_user_id').references(() => user.id),
    /** SHA-256 (hex) of a PDF's bytes: its name in the file store, shared by every document with the same bytes. */
    fileHash: text('file_hash'),
    /** Size of the stored file in bytes. */
    fileSize: integer('file_size'),
    ...auditColumns(),
  },
  (table) => [index('document_user').on(table.userId)],
)

/**
 * Data attached to a document, optionally within a study session and step (NLP results,
 * assessments, links): one value per (document, session, step, key), as the original's
 * `conflict_key` made it. A missing session or step counts as 0 in that key, so null scopes
 * are unique too (SQLite would otherwise treat every null as distinct).
 */
export const documentData = sqliteTable(
  'document_data',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    documentId: integer('document_id')
      .notNull()
      .references(() => document.id),
    studySessionId: integer('study_session_id'),
    studyStepId: integer('study_step_id'),
    key: text('key').notNull(),
    /** Any JSON value, stored as JSON text. */
    value: text('value', { mode: 'json' }).$type<unknown>(),
    ...auditColumns(),
  },
  (table) => [
    uniqueIndex('document_data_conflict_key').on(
      table.documentId,
      // CASE rather than coalesce(): drizzle-kit splits index expressions at commas.
      sql`(case when ${table.studySessionId} is null then 0 else ${table.studySessionId} end)`,
      sql`(case when ${table.studyStepId} is null then 0 else ${table.studyStepId} end)`,
      table.key,
    ),
  ],
)
