/** Sharing documents and tag sets with users and roles: the share events (what a share allows is `access/Permissions.documentAccess`). */
export { refuseShareWrite, registerShareEvents } from './rpc.js'
