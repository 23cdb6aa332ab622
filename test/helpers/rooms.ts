import Database from 'better-sqlite3'
import { adminPassword, login, registerAndLogin, rpc } from './accounts.js'
import { startTestServer, tempDir } from './server.js'
import { SignalingClient } from './signaling.js'

/** A room as `roomCreate` answers it. */
export interface Room {
  id: string
  title: string
  createdBy: number
}

/** Creates a room owned by the token's user; throws if the call fails. */
export async function createRoom(baseUrl: string, token: string, title = 'Weekly sync'): Promise<Room> {
  const { body } = await rpc<Room>(baseUrl, 'roomCreate', { title }, token)
  if (!body.success) throw new Error(`roomCreate failed: ${body.message}`)
  return body.data
}

/** On a server of its own: the admin signs in, creates a room, joins it as its moderator and selects themself as the pad's writer. */
export async function soloWriter(baseUrl: string, title: string): Promise<{ token: string; roomId: string; moderator: SignalingClient; writeUrl: string }> {
  const token = await login(baseUrl, 'admin', adminPassword)
  const roomId = (await createRoom(baseUrl, token, title)).id
  const moderator = new SignalingClient(baseUrl, roomId, token)
  const { id } = await moderator.join()
  moderator.send('protocol', { action: 'select_writer', participant_ids: [id] })
  const writeUrl = String((await moderator.next('protocol', 'write_url')).url)
  return { token, roomId, moderator, writeUrl }
}

/** Runs `sql` on the database file through a connection of its own (a stopped or running server's). */
export function queryDb(dbPath: string, sql: string, ...params: unknown[]): unknown[] {
  const sqlite = new Database(dbPath, { readonly: true })
  try {
    return sqlite.prepare(sql).all(...params)
  } finally {
    sqlite.close()
  }
}

/** Installs a trigger that makes writes fail (as a full disk would) until the returned function removes it. */
export function failWrites(dbPath: string, name: string, trigger: string): () => void {
  const sqlite = new Database(dbPath)
  sqlite.exec(`CREATE TRIGGER ${name} ${trigger} BEGIN SELECT RAISE(ABORT, 'disk says no'); END`)
  return () => {
    sqlite.exec(`DROP TRIGGER ${name}`)
    sqlite.close()
  }
}

/** A signed-in account of a test server. */
export interface TestUser {
  token: string
  userId: number
}

/** A test server with the admin signed in and `userNames` registered and signed in; `stop` closes it and removes its files. */
export async function startServerWithUsers<N extends string>(userNames: readonly N[]) {
  const dir = tempDir()
  const server = await startTestServer(dir.dbPath)
  const adminToken = await login(server.url, 'admin', adminPassword)
  const users = {} as Record<N, TestUser>
  for (const name of userNames) users[name] = await registerAndLogin(server.url, name)
  return {
    server,
    dbPath: dir.dbPath,
    adminToken,
    users,
    stop: async () => {
      await server.close()
      dir.remove()
    },
  }
}
