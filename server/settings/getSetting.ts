import { eq } from 'drizzle-orm'
import { type FolioDatabase, setting } from '../../schema/db/index.js'

/** The value of a global setting, or null when it is not set. */
export async function getSetting(db: FolioDatabase, key: string): Promise<string | null> {
  const [row] = await db.select({ value: setting.value }).from(setting).where(eq(setting.key, key)).limit(1)
  return row?.value ?? null
}
