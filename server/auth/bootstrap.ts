import { eq } from 'drizzle-orm'
import { defaultSettings, rightsCatalogue, systemRoles } from '../../schema/index.js'
import { type FolioDatabase, roleRightMatching, setting, user, userRight, userRole } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'
import { createAccount } from './accounts.js'
import { newPassword } from './passwords.js'

/**
 * Seeds what every installation needs, idempotently: the system roles, the rights catalogue
 * with its default role grants, default settings, and on first start an `admin` account.
 * Returns the admin password when one was generated, for the caller to print once.
 */
export async function bootstrapAccounts(db: FolioDatabase, adminPassword: string | null): Promise<{ generatedAdminPassword: string | null }> {
  await SerialTransactions.of(db).transaction(async () => {
    await db.insert(userRole).values([...systemRoles]).onConflictDoNothing()
    const roleIds = new Map((await db.select({ id: userRole.id, name: userRole.name }).from(userRole)).map((role) => [role.name, role.id]))
    await db
      .insert(userRight)
      .values(rightsCatalogue.map(({ name, description }) => ({ name, description })))
      .onConflictDoNothing()
    const grants = rightsCatalogue.flatMap((right) => right.roles.map((roleName) => ({ userRoleId: roleIds.get(roleName)!, userRightName: right.name })))
    await db.insert(roleRightMatching).values(grants).onConflictDoNothing()
    await db.insert(setting).values([...defaultSettings]).onConflictDoNothing()
  })

  const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.userName, 'admin')).limit(1)
  if (existing) return { generatedAdminPassword: null }
  const password = adminPassword ?? newPassword()
  await createAccount(db, { userName: 'admin', email: 'admin@localhost', password, acceptTerms: true, emailVerified: true }, ['admin', 'user'])
  return { generatedAdminPassword: adminPassword ? null : password }
}
