import Database from 'better-sqlite3'
import type { PendingUpdate, ReplicaStore, StoredReplica } from './ReplicaStore.js'

/** How many stored updates of a doc that are not pending may pile up before they are merged into one. */
export const defaultCompactEveryUpdates = 500

export interface SqliteReplicaStoreOptions {
  /** Merge a doc's acknowledged and remote updates into one once there are more than this many. */
  compactEveryUpdates?: number
}

/** A replica store in a local SQLite file, for Node and desktop shells; also closes the file. */
export interface SqliteReplicaStore extends ReplicaStore {
  open(name: string): StoredReplica
  close(): void
}

/**
 * Opens (or creates) the SQLite replica store at `path`. Every write is its own transaction with
 * `synchronous = FULL`: a local update is on disk when the edit returns, so a killed process or
 * a power cut loses no edit it made.
 */
export function openSqliteReplicaStore(path: string, options: SqliteReplicaStoreOptions = {}): SqliteReplicaStore {
  const compactEvery = options.compactEveryUpdates ?? defaultCompactEveryUpdates
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(`CREATE TABLE IF NOT EXISTS replica_update (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL,
    data BLOB NOT NULL,
    pending INTEGER NOT NULL,
    typed_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS replica_update_doc ON replica_update (doc, id);`)
  addTypedAtColumn(db)
  const statements = {
    load: db.prepare<[string], { id: number; data: Buffer; pending: number; typed_at: number | null }>('SELECT id, data, pending, typed_at FROM replica_update WHERE doc = ? ORDER BY id'),
    insert: db.prepare<[string, Uint8Array, number, number | null]>('INSERT INTO replica_update (doc, data, pending, typed_at) VALUES (?, ?, ?, ?)'),
    acknowledge: db.prepare<[string, number]>('UPDATE replica_update SET pending = 0 WHERE doc = ? AND id = ?'),
    dropSettled: db.prepare<[string]>('DELETE FROM replica_update WHERE doc = ? AND pending = 0'),
  }
  const acknowledge = db.transaction((doc: string, ids: readonly number[]) => {
    for (const id of ids) statements.acknowledge.run(doc, id)
  })
  const compact = db.transaction((doc: string, state: Uint8Array) => {
    statements.dropSettled.run(doc)
    statements.insert.run(doc, state, 0, null)
  })

  return {
    open(name) {
      const rows = statements.load.all(name)
      const pending: PendingUpdate[] = rows.filter((row) => row.pending === 1).map((row) => ({ id: row.id, update: new Uint8Array(row.data), typedAt: row.typed_at }))
      let settled = rows.length - pending.length
      const insert = (update: Uint8Array, isPending: boolean, typedAt: number | null): number => Number(statements.insert.run(name, update, isPending ? 1 : 0, typedAt).lastInsertRowid)
      return {
        updates: rows.map((row) => new Uint8Array(row.data)),
        pending,
        storeRemote(update) {
          insert(update, false, null)
          settled++
        },
        storeLocal(update, typedAt) {
          return { id: insert(update, true, typedAt), update, typedAt }
        },
        acknowledge(ids) {
          acknowledge(name, ids)
          settled += ids.length
        },
        compact(state) {
          if (settled <= compactEvery) return
          compact(name, state())
          settled = 1
        },
        close() {},
      }
    },
    close() {
      db.close()
    },
  }
}

/**
 * Replica files from before local updates kept their typing time lack `typed_at`: it is added,
 * and their pending updates, with no time, are sent without one (they count as typed on arrival).
 */
function addTypedAtColumn(db: Database.Database): void {
  const columns = db.pragma('table_info(replica_update)') as { name: string }[]
  if (!columns.some((column) => column.name === 'typed_at')) db.exec('ALTER TABLE replica_update ADD COLUMN typed_at INTEGER')
}
