/** Realtime table sync: the synced tables, their subscriptions and pushes, and their generic writes. */
export { syncedTables } from './syncedTables.js'
export { refreshEvent, TableSync } from './TableSync.js'
export type { TableWriter, TableWriters } from './tableWriters.js'
export { type RelatedWrite, type WriteResult, writeSyncedRow } from './writeSyncedRow.js'
export { registerAppEvents } from './rpc.js'
