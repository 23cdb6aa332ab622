import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns } from './columns.js'

/** Document types of the original: 0 PDF, 1 HTML, 2 MODAL. */
export const documentType = { pdf: 0, html: 1, modal: 2 } as const

export const document = sqliteTable(
  'document',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    hash: text('hash')
      .notNull()
      .unique()
      .$defaultFn(() => crypto.randomUUID()),
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
    ...auditColumns(),
  },
  (table) => [index('document_user').on(table.userId)],
)
