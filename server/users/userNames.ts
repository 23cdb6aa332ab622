import { eq } from 'drizzle-orm'
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
