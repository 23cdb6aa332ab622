import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { padAccessLevels, participantKinds, participantRoles } from '../wire/columnValues.js'

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date())

/** A meeting room: its creator is its owner and moderator; its protocol pad is the doc `pad:<id>`. */
export const room = sqliteTable('room', {
  /** A UUID, so room ids in URLs cannot be enumerated. */
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  createdBy: integer('created_by')
    .notNull()
    .references(() => user.id),
  createdAt: createdAt(),
  /** When the protocol pad was initialised (the first `select_writer`); null until then. */
  padCreatedAt: integer('pad_created_at', { mode: 'timestamp_ms' }),
})

/**
 * One participation: a signaling connection that joined a room, from `join` to `left`. Rows are
 * kept after leaving, so a returning user gets back the moderator role and pad access they had,
 * and the pad's log (attributed to participant ids) can be read with names.
 */
export const roomParticipant = sqliteTable(
  'room_participant',
  {
    id: text('id').primaryKey(),
    roomId: text('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    /** The signed-in account; null for guests. */
    userId: integer('user_id').references(() => user.id),
    displayName: text('display_name').notNull(),
    kind: text('kind', { enum: participantKinds }).notNull(),
    role: text('role', { enum: participantRoles }).notNull(),
    /** Access to the pad while in the room; null before the pad is initialised. */
    padAccess: text('pad_access', { enum: padAccessLevels }),
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
    leftAt: integer('left_at', { mode: 'timestamp_ms' }),
    leftReason: text('left_reason'),
    /** SHA-256 of the resumption token of `join_success`: rejoining with it soon after leaving keeps this participation. */
    resumptionHash: text('resumption_hash'),
  },
  (table) => [index('room_participant_room_user').on(table.roomId, table.userId)],
)

/** A guest link: whoever holds the token may join the room as a guest. Only the token's SHA-256 is stored. */
export const roomGuestLink = sqliteTable('room_guest_link', {
  tokenHash: text('token_hash').primaryKey(),
  roomId: text('room_id')
    .notNull()
    .references(() => room.id, { onDelete: 'cascade' }),
  createdBy: integer('created_by')
    .notNull()
    .references(() => user.id),
  createdAt: createdAt(),
})

/**
 * A pad session: the secret in a participant's pad URL, bound to one participant, one room and
 * one access level. Deleting the row ends it. Only the secret's SHA-256 is stored.
 */
export const padSession = sqliteTable(
  'pad_session',
  {
    idHash: text('id_hash').primaryKey(),
    roomId: text('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    participantId: text('participant_id')
      .notNull()
      .references(() => roomParticipant.id, { onDelete: 'cascade' }),
    access: text('access', { enum: padAccessLevels }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('pad_session_participant').on(table.participantId)],
)

/** A file a room produced (the protocol PDFs); the bytes live in the file store under `file_hash`. */
export const asset = sqliteTable(
  'asset',
  {
    id: text('id').primaryKey(),
    roomId: text('room_id')
      .notNull()
      .references(() => room.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    filename: text('filename').notNull(),
    size: integer('size').notNull(),
    fileHash: text('file_hash').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('asset_room').on(table.roomId)],
)
