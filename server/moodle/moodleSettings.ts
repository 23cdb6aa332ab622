import type { FolioDatabase } from '../../schema/db/index.js'
import { InvalidInputError } from '../errors.js'
import { getSetting } from '../settings/index.js'
import type { MoodleConnection } from './MoodleClient.js'

/** The admin settings of the Moodle connection; all three are `onlyAdmin`, so they reach admins' clients only. */
export const moodleSettingKeys = { url: 'rpc.moodleAPI.apiUrl', token: 'rpc.moodleAPI.apiKey', courseId: 'rpc.moodleAPI.courseID' } as const

/** The Moodle site and token of the admin settings, read at every call: a changed setting applies to the next one. */
export async function moodleConnection(db: FolioDatabase): Promise<MoodleConnection> {
  const url = (await getSetting(db, moodleSettingKeys.url))?.trim() ?? ''
  const token = (await getSetting(db, moodleSettingKeys.token))?.trim() ?? ''
  if (url === '' || token === '') {
    throw new InvalidInputError(`Moodle is not configured: an administrator sets ${moodleSettingKeys.url} (the site's address) and ${moodleSettingKeys.token} (a web-service token of the site)`)
  }
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new InvalidInputError(`the ${moodleSettingKeys.url} setting is not an http:// or https:// address; an administrator corrects it`)
  }
  return { url: url.replace(/\/+$/, ''), token }
}

/** The course a call names, else the one of the `rpc.moodleAPI.courseID` setting. */
export async function courseIdOf(db: FolioDatabase, given: number | undefined): Promise<number> {
  if (given !== undefined) return given
  const setting = (await getSetting(db, moodleSettingKeys.courseId))?.trim() ?? ''
  const id = Number(setting)
  if (setting === '' || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidInputError(`invalid input: options.courseID: name the Moodle course, or have an administrator set ${moodleSettingKeys.courseId}`)
  }
  return id
}
