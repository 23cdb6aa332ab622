import { navElementSeeds, navGroupSeeds } from '../../schema/index.js'
import { type FolioDatabase, navElement, navGroup } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'

/**
 * Adds each seeded menu group and entry that no row carries the name of (one an admin deleted or
 * changed stays as the admin left it), entries under their group by name; one transaction.
 */
export function seedNavigation(db: FolioDatabase): Promise<void> {
  return SerialTransactions.of(db).transaction(async () => {
    for (const group of navGroupSeeds) await db.insert(navGroup).values(group).onConflictDoNothing()
    const groupIds = new Map((await db.select({ id: navGroup.id, name: navGroup.name }).from(navGroup)).map((row) => [row.name, row.id]))
    for (const { group, ...element } of navElementSeeds) {
      await db
        .insert(navElement)
        .values({ ...element, groupId: groupIds.get(group) ?? null })
        .onConflictDoNothing()
    }
  })
}
