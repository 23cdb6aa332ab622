/** The log table: where structured log lines (the server's, and clients' when allowed) are stored in batches, and its events. */
export { LogTable } from './LogTable.js'
export { registerLogEvents } from './rpc.js'
export { seedRecordSettings } from './seedRecordSettings.js'
