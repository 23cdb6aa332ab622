import type { FolioDatabase } from '../../schema/db/index.js'
import { getSetting } from '../settings/getSetting.js'

/** Whether the boolean setting `key` is on. */
export async function settingIsOn(db: FolioDatabase, key: string): Promise<boolean> {
  return (await getSetting(db, key)) === 'true'
}

/** The setting `key`, a number of minutes, in milliseconds; `fallbackMinutes` when it is unset or not a number. */
export async function settingMinutesMs(db: FolioDatabase, key: string, fallbackMinutes: number): Promise<number> {
  const value = (await getSetting(db, key))?.trim()
  const minutes = value ? Number(value) : NaN
  return (Number.isFinite(minutes) && minutes >= 0 ? minutes : fallbackMinutes) * 60_000
}
