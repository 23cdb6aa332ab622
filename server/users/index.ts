/** Accounts, their roles and the rights of roles: the user events, and `appUser` (what a client is told about its own account). */
export { appUserOf } from './appUser.js'
export { AppUserPushes } from './AppUserPushes.js'
export { registerUserEvents, type UserRpcDeps } from './rpc.js'
export { userNamesByIds } from './userNames.js'
