export { LiveAccess } from './LiveAccess.js'
export { Permissions } from './Permissions.js'
export { createSyncPolicy } from './syncPolicy.js'
