export type { EventClient } from './EventClient.js'
export { EventHub } from './EventHub.js'
export { documentRoom, Rooms } from './Rooms.js'
