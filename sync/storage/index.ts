export type { Checkpoint, DocStore, StoredDoc, UpdateRecord } from './DocStore.js'
export { openDatabase, type FolioDatabase, type SynchronousMode } from './database.js'
export { SqliteDocStore } from './SqliteDocStore.js'
