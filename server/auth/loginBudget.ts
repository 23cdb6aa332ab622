import { and, eq, or, sql } from 'drizzle-orm'
import { type FolioDatabase, user } from '../../schema/db/index.js'

/**
 * Whose failure budget a login attempt spends: the account the typed text names, by user name or
 * e-mail in any case, else the typed text itself in lower case. Every spelling of one account
 * shares its budget, and a name of no account is limited just like one of an account, so a
 * refusal does not tell which names exist. Two accounts whose names differ only in case share the
 * older one's budget.
 */
export async function loginBudget(db: FolioDatabase, typed: string): Promise<string> {
  const normalized = typed.trim().toLowerCase()
  const [account] = await db
    .select({ id: user.id })
    .from(user)
    // E-mails are stored in lower case already; user names keep the case they were registered with.
    .where(and(or(eq(sql`lower(${user.userName})`, normalized), eq(user.email, normalized)), eq(user.deleted, false)))
    .orderBy(user.id)
    .limit(1)
  return account ? `user:${account.id}` : `name:${normalized}`
}
