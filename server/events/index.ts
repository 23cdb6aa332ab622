export type { EventClient } from './EventClient.js'
export { endSession, EventHub } from './EventHub.js'
export { documentRoom, Rooms, studyRoom } from './Rooms.js'
