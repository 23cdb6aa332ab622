/** Global and per-user settings: `getSetting` for the server's own switches, and the settings RPC events. */
export { getSetting } from './getSetting.js'
export { registerSettingsEvents, settingsFor } from './rpc.js'
