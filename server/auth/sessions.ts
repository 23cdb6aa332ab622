import { and, eq, gt, isNull } from 'drizzle-orm'
import { authSession, type FolioDatabase, user } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'
import { newSecret, secretDigest } from './secrets.js'

/** A signed-in caller, as every permission check sees it. */
export interface SessionUser {
  id: number
  userName: string
}

/**
 * Issues, resolves and revokes login tokens. The token itself is never stored, only its digest.
 * Every write takes a write turn of the connection (`SerialTransactions`), so none lands inside
 * another call's open transaction.
 */
export class SessionStore {
  private readonly endedListeners: ((userId: number) => void)[] = []
  private readonly turns: SerialTransactions

  constructor(
    private readonly db: FolioDatabase,
    private readonly lifetimeMs: number,
  ) {
    this.turns = SerialTransactions.of(db)
  }

  /** Signs `userId` in: a new unguessable token (256 random bits), and the account's `lastLoginAt`, in one write turn. */
  async issue(userId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecret()
    const expiresAt = new Date(now.getTime() + this.lifetimeMs)
    await this.turns.transaction(async () => {
      await this.db.insert(authSession).values({ tokenDigest: secretDigest(token), userId, createdAt: now, expiresAt })
      await this.db.update(user).set({ lastLoginAt: now }).where(eq(user.id, userId))
    })
    return { token, expiresAt }
  }

  /** The live, unexpired, unrevoked session's user, or null. */
  async resolve(token: string | null | undefined, now = new Date()): Promise<SessionUser | null> {
    return (await this.resolveSession(token, now))?.user ?? null
  }

  /** The live session's user and when it began (its login; a refresh keeps it), or null. */
  async resolveSession(token: string | null | undefined, now = new Date()): Promise<{ user: SessionUser; startedAt: Date } | null> {
    if (!token) return null
    const [row] = await this.db
      .select({ id: user.id, userName: user.userName, startedAt: authSession.createdAt })
      .from(authSession)
      .innerJoin(user, eq(user.id, authSession.userId))
      .where(
        and(
          eq(authSession.tokenDigest, secretDigest(token)),
          isNull(authSession.revokedAt),
          gt(authSession.expiresAt, now),
          eq(user.deleted, false),
        ),
      )
      .limit(1)
    return row ? { user: { id: row.id, userName: row.userName }, startedAt: row.startedAt } : null
  }

  /**
   * Moves the expiry of `token`'s live session to a full lifetime from now, in one write turn: the
   * same token goes on working, so sockets opened with it stay open. Null when it is not live.
   */
  async extend(token: string, now = new Date()): Promise<Date | null> {
    const expiresAt = new Date(now.getTime() + this.lifetimeMs)
    const extended = await this.turns.transaction(() =>
      this.db
        .update(authSession)
        .set({ expiresAt })
        .where(and(eq(authSession.tokenDigest, secretDigest(token)), isNull(authSession.revokedAt), gt(authSession.expiresAt, now)))
        .returning({ userId: authSession.userId }),
    )
    return extended.length > 0 ? expiresAt : null
  }

  /** Ends the session of `token`; the listeners hear of it after the commit, so sockets opened with it close now. */
  async revoke(token: string, now = new Date()): Promise<void> {
    const ended = await this.turns.transaction(() =>
      this.db
        .update(authSession)
        .set({ revokedAt: now })
        .where(and(eq(authSession.tokenDigest, secretDigest(token)), isNull(authSession.revokedAt)))
        .returning({ userId: authSession.userId }),
    )
    for (const { userId } of ended) this.ended(userId)
  }

  /**
   * Ends every session of `userId` (its password was reset), inside the caller's transaction;
   * call `ended(userId)` once it has committed.
   */
  async revokeAllWithin(userId: number, now = new Date()): Promise<void> {
    await this.db
      .update(authSession)
      .set({ revokedAt: now })
      .where(and(eq(authSession.userId, userId), isNull(authSession.revokedAt)))
  }

  /** Tells the listeners that sessions of `userId` ended. */
  ended(userId: number): void {
    for (const listener of this.endedListeners) listener(userId)
  }

  /** Runs `listener` with the account whenever one of its sessions is revoked. */
  onEnded(listener: (userId: number) => void): void {
    this.endedListeners.push(listener)
  }
}
