import { eq, inArray } from 'drizzle-orm'
import { type FolioDatabase, user } from '../../schema/db/index.js'

/** Longest user name the inputs accept. */
const maxUserNameLength = 64

/**
 * A free user name for an imported account that brings none: its e-mail's local part in the
 * characters user names allow, with `-2`, `-3`, … appended while that name is taken.
 */
export async function freeUserName(db: FolioDatabase, email: string): Promise<string> {
  const local = email.split('@')[0]!.replace(/[^A-Za-z0-9_.-]/g, '_')
  const base = local.padEnd(3, '_').slice(0, maxUserNameLength - 8)
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    const [taken] = await db.select({ id: user.id }).from(user).where(eq(user.userName, candidate)).limit(1)
    if (!taken) return candidate
  }
}

/** The user names of the accounts `ids`, in one query; ids of no account are left out. */
export async function userNamesByIds(db: FolioDatabase, ids: Iterable<number>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)]
  if (wanted.length === 0) return new Map()
  const rows = await db.select({ id: user.id, userName: user.userName }).from(user).where(inArray(user.id, wanted))
  return new Map(rows.map((row) => [row.id, row.userName]))
}
