export type { EventClient } from './EventClient.js'
export { EventHub } from './EventHub.js'
