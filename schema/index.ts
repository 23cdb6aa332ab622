/** Database tables and shared types: the bottom layer, imported by sync and server. */
export { docCheckpoint, docUpdate } from './tables/docs.js'
export { migrationsFolder } from './migrations-folder.js'
