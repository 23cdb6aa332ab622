import { and, eq, inArray, or } from 'drizzle-orm'
import { type FolioDatabase, user, userRole, userRoleMatching } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'
import { ConflictError, InvalidInputError } from '../errors.js'
import { hashPassword } from './passwords.js'

export type UserRow = typeof user.$inferSelect

/** Columns of `user` that never leave the server. */
export const userSecretColumns = ['passwordHash'] as const

/** A user row as any client may receive it: no password hash, ever. */
export function withoutSecrets<T extends Partial<UserRow>>(row: T): Omit<T, (typeof userSecretColumns)[number]> {
  const { passwordHash: _secret, ...rest } = row
  return rest
}

/** The live account whose userName or email is `login`. */
export async function findUserByLogin(db: FolioDatabase, login: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(user)
    .where(and(or(eq(user.userName, login), eq(user.email, login.toLowerCase())), eq(user.deleted, false)))
    .limit(1)
  return row
}

export interface NewAccount {
  userName: string
  email: string
  password: string
  firstName?: string | undefined
  lastName?: string | undefined
  acceptTerms?: boolean
  acceptStats?: boolean
  acceptDataSharing?: boolean
  /** Accounts an administrator creates start verified; registered ones confirm their address by mail. */
  emailVerified?: boolean
  extId?: string | undefined
}

/** An account whose password is hashed already, ready to insert. */
export type HashedAccount = Omit<NewAccount, 'password'> & { passwordHash: string }

/** Creates an account with `roles` in a write turn of its own; throws ConflictError when the user name or email is taken. */
export async function createAccount(db: FolioDatabase, account: NewAccount, roles: readonly string[]): Promise<UserRow> {
  // Hashed before the turn: scrypt takes tens of milliseconds, which no other writer should wait for.
  const passwordHash = await hashPassword(account.password)
  return SerialTransactions.of(db).transaction(() => insertAccount(db, { ...account, passwordHash }, roles))
}

/**
 * Inserts an account and matches it to `roles`, inside the caller's transaction. Throws
 * ConflictError when the user name or email is taken, InvalidInputError for a role that does not exist.
 */
export async function insertAccount(db: FolioDatabase, account: HashedAccount, roles: readonly string[]): Promise<UserRow> {
  const email = account.email.toLowerCase()
  const [taken] = await db
    .select({ userName: user.userName })
    .from(user)
    .where(or(eq(user.userName, account.userName), eq(user.email, email)))
    .limit(1)
  if (taken) throw new ConflictError(taken.userName === account.userName ? 'user name is taken' : 'email is already registered')
  const roleIds = await roleIdsByName(db, roles)
  const [created] = await db
    .insert(user)
    .values({
      userName: account.userName,
      email,
      passwordHash: account.passwordHash,
      firstName: account.firstName ?? null,
      lastName: account.lastName ?? null,
      extId: account.extId ?? null,
      emailVerified: account.emailVerified ?? false,
      acceptTerms: account.acceptTerms ?? false,
      acceptStats: account.acceptStats ?? false,
      acceptDataSharing: account.acceptDataSharing ?? false,
      acceptedAt: account.acceptTerms ? new Date() : null,
    })
    .returning()
  if (roleIds.length > 0) await db.insert(userRoleMatching).values(roleIds.map((userRoleId) => ({ userId: created!.id, userRoleId })))
  return created!
}

/** The ids of the live roles named `names`, in their order; InvalidInputError names any that does not exist. */
export async function roleIdsByName(db: FolioDatabase, names: readonly string[]): Promise<number[]> {
  const unique = [...new Set(names)]
  if (unique.length === 0) return []
  const rows = await db
    .select({ id: userRole.id, name: userRole.name })
    .from(userRole)
    .where(and(inArray(userRole.name, unique), eq(userRole.deleted, false)))
  const byName = new Map(rows.map((row) => [row.name, row.id]))
  const missing = unique.filter((name) => !byName.has(name))
  if (missing.length > 0) throw new InvalidInputError(`no role named ${missing.map((name) => `"${name}"`).join(', ')}`)
  return unique.map((name) => byName.get(name)!)
}
