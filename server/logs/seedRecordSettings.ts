import { recordSettings } from '../../schema/index.js'
import { type FolioDatabase, setting } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'

/** Adds the settings of what is recorded where they are missing; an admin's value stays. */
export function seedRecordSettings(db: FolioDatabase): Promise<void> {
  return SerialTransactions.of(db).transaction(async () => {
    for (const entry of recordSettings) await db.insert(setting).values(entry).onConflictDoNothing()
  })
}
