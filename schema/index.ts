/** Database tables, seed data and shared input schemas: the bottom layer, imported by sync, server and clients. */
export { authSession, roleRightMatching, user, userRight, userRole, userRoleMatching } from './tables/accounts.js'
export { docCheckpoint, docUpdate } from './tables/docs.js'
export { document, documentType } from './tables/documents.js'
export { setting, userSetting } from './tables/settings.js'
export { migrationsFolder } from './migrations-folder.js'
export * from './seed/index.js'
export * from './inputs/index.js'
export * from './docs/index.js'
