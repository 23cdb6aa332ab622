/** The SDK's Node face: everything of `index.ts`, plus the SQLite replica store (better-sqlite3) for desktop shells. */
export * from './index.js'
export { defaultCompactEveryUpdates, openSqliteReplicaStore, type SqliteReplicaStore, type SqliteReplicaStoreOptions } from './replica/sqliteReplicaStore.js'
