import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { document } from './documents.js'

/**
 * A named version of a document's content: a name for the content doc's log seq at the time it
 * was named. The content is not copied; it is the state at `seq`, replayed from the log.
 */
export const documentVersion = sqliteTable(
  'document_version',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    documentId: integer('document_id')
      .notNull()
      .references(() => document.id),
    name: text('name').notNull(),
    /** Seq of `document:<documentId>` the version names; 0 is the empty document. */
    seq: integer('seq').notNull(),
    /** Who named it. */
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
  },
  // Names are unique per document, so a name identifies a version; the index also serves lookups by document.
  (table) => [uniqueIndex('document_version_name').on(table.documentId, table.name)],
)
