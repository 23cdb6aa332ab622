/** Usage statistics: recorded with the user's consent, in batches, and read by admins. */
export { registerStatsEvents } from './rpc.js'
export { type StatsOptions, StatsRecorder } from './StatsRecorder.js'
