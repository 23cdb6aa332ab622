import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * Append-only log of every accepted Yjs update (V1 encoding), per document.
 * It is both the durability record and the history later exports replay.
 */
export const docUpdate = sqliteTable(
  'doc_update',
  {
    docId: text('doc_id').notNull(),
    seq: integer('seq').notNull(),
    update: blob('update', { mode: 'buffer' }).notNull(),
    /** Yjs client id that authored the update, when it is known to be a single one. */
    clientId: integer('client_id'),
    /** Account that sent the update; null until accounts exist. */
    userId: text('user_id'),
    /** Where the update was written, as JSON (a study session and its step then); null outside one. */
    context: text('context'),
    /** When the server stored it: milliseconds since the epoch. */
    createdAt: integer('created_at').notNull(),
    /**
     * When the client says it was typed (ms since the epoch), within the bounds the server checks
     * (see `sync/typedAt.ts`); null when the client did not say (stock clients), so `createdAt` stands.
     */
    typedAt: integer('typed_at'),
  },
  (table) => [primaryKey({ columns: [table.docId, table.seq] })],
)

/**
 * Merged document state covering the log up to and including `seq`.
 * Every checkpoint is kept: with the log it gives the state at any past seq cheaply.
 */
export const docCheckpoint = sqliteTable(
  'doc_checkpoint',
  {
    docId: text('doc_id').notNull(),
    seq: integer('seq').notNull(),
    state: blob('state', { mode: 'buffer' }).notNull(),
    stateVector: blob('state_vector', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.docId, table.seq] }), index('doc_checkpoint_created').on(table.docId, table.createdAt)],
)
