import { integer, text } from 'drizzle-orm/sqlite-core'

/** Soft delete and timestamps, shared by the platform's tables (the original's MetaModel conventions). */
export const auditColumns = () => ({
  deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
  deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date()),
})

/** The public id a row is linked by (`/document/<hash>`, `/study/<hash>`, `/session/<hash>`): a random UUID. */
export const publicHash = () =>
  text('hash')
    .notNull()
    .unique()
    .$defaultFn(() => crypto.randomUUID())
