import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { migrationsFolder } from './migrationsFolder.js'

export type FolioDatabase = BetterSQLite3Database & { $client: Database.Database }

/** How hard SQLite syncs to disk. NORMAL in WAL mode survives a process crash; FULL also survives power loss. */
export type SynchronousMode = 'OFF' | 'NORMAL' | 'FULL'

/** Opens (creating if needed) the database file in WAL mode and applies the committed migrations. */
export function openDatabase(path: string, synchronous: SynchronousMode = 'NORMAL'): FolioDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma(`synchronous = ${synchronous}`)
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  const db = drizzle({ client: sqlite })
  migrate(db, { migrationsFolder })
  return db
}
