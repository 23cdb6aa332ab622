/** Realtime table sync: the synced tables, their subscriptions and pushes, and their generic writes. */
export { syncedTables } from './syncedTables.js'
export { refreshEvent, TableSync } from './TableSync.js'
export { writeSyncedRow } from './writeSyncedRow.js'
export { registerAppEvents } from './rpc.js'
