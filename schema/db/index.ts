/** What only the server's side needs of the schema: where the committed migrations are (a file path, so not for browsers). */
export { migrationsFolder } from './migrationsFolder.js'
export { type FolioDatabase, openDatabase, type SynchronousMode } from './openDatabase.js'
