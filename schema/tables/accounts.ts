import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { auditColumns } from './columns.js'

export const user = sqliteTable('user', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userName: text('user_name').notNull().unique(),
  email: text('email').notNull().unique(),
  /** Set by following the link of a verification mail, or a reset mail; accounts an admin creates start verified. */
  emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
  firstName: text('first_name'),
  lastName: text('last_name'),
  /** `scrypt$N$r$p$<salt>$<key>`, salt per user; never leaves the server. */
  passwordHash: text('password_hash'),
  acceptTerms: integer('accept_terms', { mode: 'boolean' }).notNull().default(false),
  acceptStats: integer('accept_stats', { mode: 'boolean' }).notNull().default(false),
  acceptDataSharing: integer('accept_data_sharing', { mode: 'boolean' }).notNull().default(false),
  acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
  lastLoginAt: integer('last_login_at', { mode: 'timestamp_ms' }),
  extId: text('ext_id'),
  ...auditColumns(),
})

export const userRole = sqliteTable('user_role', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  description: text('description'),
  ...auditColumns(),
})

export const userRight = sqliteTable('user_right', {
  name: text('name').primaryKey(),
  description: text('description'),
  ...auditColumns(),
})

export const userRoleMatching = sqliteTable(
  'user_role_matching',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    userRoleId: integer('user_role_id')
      .notNull()
      .references(() => userRole.id),
    ...auditColumns(),
  },
  (table) => [index('user_role_matching_user').on(table.userId)],
)

export const roleRightMatching = sqliteTable(
  'role_right_matching',
  {
    userRoleId: integer('user_role_id')
      .notNull()
      .references(() => userRole.id),
    userRightName: text('user_right_name')
      .notNull()
      .references(() => userRight.name),
    ...auditColumns(),
  },
  (table) => [primaryKey({ columns: [table.userRoleId, table.userRightName] })],
)

/** Login sessions. Only a SHA-256 digest of each token is stored, so a database leak yields no usable token. */
export const authSession = sqliteTable(
  'auth_session',
  {
    tokenDigest: text('token_digest').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (table) => [uniqueIndex('auth_session_user').on(table.userId, table.tokenDigest)],
)

/** What an account token lets its holder do, once: set a new password, or confirm the e-mail address. */
export const accountTokenPurposes = ['passwordReset', 'emailVerification'] as const

/**
 * The one-time tokens of account mails. Only the SHA-256 digest is stored, in a table no client
 * ever reads, so neither a copy of the database nor a pushed `user` row carries a usable token.
 */
export const accountToken = sqliteTable(
  'account_token',
  {
    tokenDigest: text('token_digest').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    purpose: text('purpose', { enum: accountTokenPurposes }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** When it was used, or superseded by a newer token of the same purpose: it never works again. */
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('account_token_user').on(table.userId, table.purpose, table.createdAt)],
)
