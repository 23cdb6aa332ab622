export { ChangeSet, type RowWrite, type TableChange } from './ChangeSet.js'
export { type Caller, type EventAccess, type EventOptions, type RpcContext, RpcRegistry } from './registry.js'
export { buildCatalogue, type CatalogueEntry } from './catalogue.js'
export { rpcRoutes } from './httpRoutes.js'
