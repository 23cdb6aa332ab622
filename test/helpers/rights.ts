import { queryDb } from './rooms.js'
import { writeDb } from './studies.js'

/** The id of the role called `name`. */
export function roleId(dbPath: string, name: string): number {
  return (queryDb(dbPath, 'SELECT id FROM user_role WHERE name = ?', name) as { id: number }[])[0]!.id
}

/** Gives `userId` the role `role` directly in the database (rights are read afresh on every call). */
export function giveRole(dbPath: string, userId: number, role: string): void {
  const now = Date.now()
  writeDb(dbPath, 'INSERT INTO user_role_matching (user_id, user_role_id, created_at, updated_at) VALUES (?, ?, ?, ?)', userId, roleId(dbPath, role), now, now)
}

/** Grants `right` to the role `role` directly in the database. */
export function grantRight(dbPath: string, role: string, right: string): void {
  const now = Date.now()
  writeDb(dbPath, 'INSERT OR IGNORE INTO role_right_matching (user_role_id, user_right_name, created_at, updated_at) VALUES (?, ?, ?, ?)', roleId(dbPath, role), right, now, now)
}
