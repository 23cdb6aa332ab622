import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { defaultSettings, rightsCatalogue, systemRoles } from '../../schema/index.js'
import { type FolioDatabase, roleRightMatching, setting, user, userRight, userRole } from '../../schema/db/index.js'
import { createAccount } from './accounts.js'

/**
 * Seeds what every installation needs, idempotently: the system roles, the rights catalogue
 * with its default role grants, default settings, and on first start an `admin` account.
 * Returns the admin password when one was generated, for the caller to print once.
 */
export async function bootstrapAccounts(db: FolioDatabase, adminPassword: string | null): Promise<{ generatedAdminPassword: string | null }> {
  db.transaction(() => {
    for (const role of systemRoles) db.insert(userRole).values(role).onConflictDoNothing().run()
    const roleIds = new Map(db.select({ id: userRole.id, name: userRole.name }).from(userRole).all().map((r) => [r.name, r.id]))
    for (const right of rightsCatalogue) {
      db.insert(userRight).values({ name: right.name, description: right.description }).onConflictDoNothing().run()
      for (const roleName of right.roles) {
        db.insert(roleRightMatching).values({ userRoleId: roleIds.get(roleName)!, userRightName: right.name }).onConflictDoNothing().run()
      }
    }
    for (const entry of defaultSettings) db.insert(setting).values(entry).onConflictDoNothing().run()
  })

  if (db.select({ id: user.id }).from(user).where(eq(user.userName, 'admin')).get()) return { generatedAdminPassword: null }
  const password = adminPassword ?? randomBytes(12).toString('base64url')
  await createAccount(db, { userName: 'admin', email: 'admin@localhost', password, acceptTerms: true }, ['admin', 'user'])
  return { generatedAdminPassword: adminPassword ? null : password }
}
