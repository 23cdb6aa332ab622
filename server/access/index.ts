export { LiveAccess } from './LiveAccess.js'
export { type DocumentRow, liveDocument } from './liveDocument.js'
export { Permissions } from './Permissions.js'
export { createSyncPolicy } from './syncPolicy.js'
