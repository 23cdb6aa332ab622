import { and, eq, gt, isNull } from 'drizzle-orm'
import { authSession, type FolioDatabase, user } from '../../schema/db/index.js'
import { newSecret, secretDigest } from './secrets.js'

/** A signed-in caller, as every permission check sees it. */
export interface SessionUser {
  id: number
  userName: string
}

/** Issues, resolves and revokes login tokens. The token itself is never stored, only its digest. */
export class SessionStore {
  private readonly endedListeners: ((userId: number) => void)[] = []

  constructor(
    private readonly db: FolioDatabase,
    private readonly lifetimeMs: number,
  ) {}

  /** A new unguessable token (256 random bits) for `userId`. */
  issue(userId: number, now = new Date()): { token: string; expiresAt: Date } {
    const token = newSecret()
    const expiresAt = new Date(now.getTime() + this.lifetimeMs)
    this.db.insert(authSession).values({ tokenDigest: secretDigest(token), userId, createdAt: now, expiresAt }).run()
    return { token, expiresAt }
  }

  /** The live, unexpired, unrevoked session's user, or null. */
  resolve(token: string | null | undefined, now = new Date()): SessionUser | null {
    if (!token) return null
    const row = this.db
      .select({ id: user.id, userName: user.userName })
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
      .get()
    return row ?? null
  }

  /** Ends the session of `token`; the listeners hear of it, so sockets opened with it close now. */
  revoke(token: string, now = new Date()): void {
    const ended = this.db
      .update(authSession)
      .set({ revokedAt: now })
      .where(and(eq(authSession.tokenDigest, secretDigest(token)), isNull(authSession.revokedAt)))
      .returning({ userId: authSession.userId })
      .get()
    if (ended) for (const listener of this.endedListeners) listener(ended.userId)
  }

  /** Runs `listener` with the account whenever one of its sessions is revoked. */
  onEnded(listener: (userId: number) => void): void {
    this.endedListeners.push(listener)
  }
}
