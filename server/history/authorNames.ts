import type { FolioDatabase } from '../../schema/db/index.js'
import { userNamesByIds } from '../users/index.js'

/** The names of the accounts among `userIds`, by id, as history answers give them in `authors`. */
export type AuthorNames = (userIds: (string | null)[]) => Promise<Record<string, string>>

/**
 * Log records name accounts by id; readers of a document see who wrote it by name, as the app's
 * legend shows them. The HTTP routes and the CLI's database mode both answer with these.
 */
export function accountAuthorNames(db: FolioDatabase): AuthorNames {
  return async (userIds) => {
    const ids = [...new Set(userIds.flatMap((id) => (id === null ? [] : [Number(id)])))].filter(Number.isSafeInteger)
    const names = await userNamesByIds(db, ids)
    return Object.fromEntries([...names].map(([id, name]) => [String(id), name]))
  }
}
