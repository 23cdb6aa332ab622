import { and, eq, or } from 'drizzle-orm'
import { type FolioDatabase, user, userRole, userRoleMatching } from '../../schema/db/index.js'
import { ConflictError } from '../errors.js'
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
export function findUserByLogin(db: FolioDatabase, login: string): UserRow | undefined {
  return db
    .select()
    .from(user)
    .where(and(or(eq(user.userName, login), eq(user.email, login.toLowerCase())), eq(user.deleted, false)))
    .get()
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
}

/** Creates an account with `roles`; throws ConflictError when the user name or email is taken. */
export async function createAccount(db: FolioDatabase, account: NewAccount, roles: readonly string[]): Promise<UserRow> {
  const passwordHash = await hashPassword(account.password)
  const email = account.email.toLowerCase()
  return db.transaction(() => {
    const taken = db
      .select({ userName: user.userName })
      .from(user)
      .where(or(eq(user.userName, account.userName), eq(user.email, email)))
      .get()
    if (taken) throw new ConflictError(taken.userName === account.userName ? 'user name is taken' : 'email is already registered')
    const consented = account.acceptTerms ? new Date() : null
    const created = db
      .insert(user)
      .values({
        userName: account.userName,
        email,
        passwordHash,
        firstName: account.firstName ?? null,
        lastName: account.lastName ?? null,
        acceptTerms: account.acceptTerms ?? false,
        acceptStats: account.acceptStats ?? false,
        acceptDataSharing: account.acceptDataSharing ?? false,
        acceptedAt: consented,
      })
      .returning()
      .get()
    for (const name of roles) {
      const role = db.select({ id: userRole.id }).from(userRole).where(eq(userRole.name, name)).get()
      if (!role) throw new Error(`role "${name}" is not seeded`)
      db.insert(userRoleMatching).values({ userId: created.id, userRoleId: role.id }).run()
    }
    return created
  })
}
