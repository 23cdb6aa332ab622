import { eq } from 'drizzle-orm'
import { configurationSeeds } from '../../schema/index.js'
import { configuration, type FolioDatabase, user } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'

/**
 * Adds each seeded configuration that no configuration carries the name of, owned by the `admin`
 * account (which `bootstrapAccounts` made before); one transaction.
 */
export function seedConfigurations(db: FolioDatabase): Promise<void> {
  return SerialTransactions.of(db).transaction(async () => {
    const [admin] = await db.select({ id: user.id }).from(user).where(eq(user.userName, 'admin')).limit(1)
    if (!admin) return
    for (const seed of configurationSeeds) {
      const [existing] = await db.select({ id: configuration.id }).from(configuration).where(eq(configuration.name, seed.name)).limit(1)
      if (!existing) await db.insert(configuration).values({ ...seed, userId: admin.id })
    }
  })
}
