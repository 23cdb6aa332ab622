import { and, eq, inArray } from 'drizzle-orm'
import { type FolioDatabase, user, userRole } from '../../schema/db/index.js'
import type { Permissions } from '../access/index.js'
import { withoutSecrets } from '../auth/index.js'

/** What `appUser` carries: the account without secrets, its roles, the rights they hold, and whether it is an admin. */
export async function appUserOf(db: FolioDatabase, can: Permissions) {
  const [account] = await db.select().from(user).where(eq(user.id, can.user.id)).limit(1)
  const roleNames = [...can.roles()]
  const roles =
    roleNames.length === 0
      ? []
      : await db
          .select({ id: userRole.id, name: userRole.name })
          .from(userRole)
          .where(and(inArray(userRole.name, roleNames), eq(userRole.deleted, false)))
  return { ...withoutSecrets(account!), roles, rights: [...can.rights()].sort(), isAdmin: can.isAdmin() }
}
