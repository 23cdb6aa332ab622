import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import { accountToken, type accountTokenPurposes, type FolioDatabase } from '../../schema/db/index.js'
import { newSecret, secretDigest } from './secrets.js'

export type AccountTokenPurpose = (typeof accountTokenPurposes)[number]

/**
 * The one-time tokens of account mails. Each function runs inside the caller's write turn, so a
 * token's use and what it grants (a new password, a verified address) commit together.
 */
export const accountTokens = {
  /**
   * A new token for `userId`, valid for `lifetimeMs`, or null when one of the same purpose was
   * issued less than `minIntervalMs` ago (the per-account rate limit). Older unused tokens of the
   * purpose stop working, so only the newest mail's link does.
   */
  async issue(db: FolioDatabase, userId: number, purpose: AccountTokenPurpose, limits: { lifetimeMs: number; minIntervalMs: number }, now: Date): Promise<string | null> {
    const [last] = await db
      .select({ createdAt: accountToken.createdAt })
      .from(accountToken)
      .where(and(eq(accountToken.userId, userId), eq(accountToken.purpose, purpose)))
      .orderBy(desc(accountToken.createdAt))
      .limit(1)
    if (last && now.getTime() - last.createdAt.getTime() < limits.minIntervalMs) return null
    await accountTokens.withdraw(db, userId, now, purpose)
    const token = newSecret()
    await db.insert(accountToken).values({ tokenDigest: secretDigest(token), userId, purpose, createdAt: now, expiresAt: new Date(now.getTime() + limits.lifetimeMs) })
    return token
  },

  /** Stops every unused token of `userId` (of `purpose` only, when given) from working: a newer mail went out, or the address changed. */
  async withdraw(db: FolioDatabase, userId: number, now: Date, purpose?: AccountTokenPurpose): Promise<void> {
    await db
      .update(accountToken)
      .set({ usedAt: now })
      .where(and(eq(accountToken.userId, userId), purpose ? eq(accountToken.purpose, purpose) : undefined, isNull(accountToken.usedAt)))
  },

  /** The account of an unused, unexpired `token` of `purpose`, or null; the token stays usable. */
  async holder(db: FolioDatabase, token: string, purpose: AccountTokenPurpose, now: Date): Promise<number | null> {
    const [row] = await db.select({ userId: accountToken.userId }).from(accountToken).where(usable(token, purpose, now)).limit(1)
    return row?.userId ?? null
  },

  /** Uses `token` up and answers its account, or null when it is unknown, used, superseded or expired. */
  async use(db: FolioDatabase, token: string, purpose: AccountTokenPurpose, now: Date): Promise<number | null> {
    const [row] = await db.update(accountToken).set({ usedAt: now }).where(usable(token, purpose, now)).returning({ userId: accountToken.userId })
    return row?.userId ?? null
  },
}

function usable(token: string, purpose: AccountTokenPurpose, now: Date) {
  return and(eq(accountToken.tokenDigest, secretDigest(token)), eq(accountToken.purpose, purpose), isNull(accountToken.usedAt), gt(accountToken.expiresAt, now))
}
