export { ChangeSet, type RowWrite, type TableChange } from './ChangeSet.js'
export { type Caller, type RpcContext, RpcRegistry } from './registry.js'
export { rpcRoutes } from './httpRoutes.js'
