import { and, eq } from 'drizzle-orm'
import { type FolioDatabase, userRoleMatching } from '../../schema/db/index.js'
import { Permissions } from '../access/index.js'
import type { EventHub } from '../events/index.js'
import { appUserOf } from './appUser.js'

/**
 * Pushes `appUser` afresh to the open events sockets of accounts whose roles, rights or details
 * changed, so a client's idea of what it may do follows the change without a new login.
 */
export class AppUserPushes {
  constructor(
    private readonly hub: EventHub,
    private readonly db: FolioDatabase,
  ) {}

  /** Every open events socket of these accounts gets its `appUser` as the database has it now. */
  async to(userIds: Iterable<number>): Promise<void> {
    const wanted = new Set(userIds)
    const bundles = new Map<number, Promise<unknown>>()
    for (const client of this.hub.clients) {
      const user = await client.currentUser()
      if (!user || !wanted.has(user.id)) continue
      if (!bundles.has(user.id)) bundles.set(user.id, Permissions.load(this.db, user).then((can) => appUserOf(this.db, can)))
      client.send('appUser', await bundles.get(user.id))
    }
  }

  /** The holders of role `roleId` get their `appUser` again (the role's rights changed). */
  async toHoldersOf(roleId: number): Promise<void> {
    const holders = await this.db
      .select({ userId: userRoleMatching.userId })
      .from(userRoleMatching)
      .where(and(eq(userRoleMatching.userRoleId, roleId), eq(userRoleMatching.deleted, false)))
    await this.to(holders.map((holder) => holder.userId))
  }
}
