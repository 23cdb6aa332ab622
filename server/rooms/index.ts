/**
 * Meeting rooms: their rows and files, who is in them, and their signaling (`control` joins and
 * roles). The pad (`server/pad/`) builds on this face; rooms know it only as `RoomPad`.
 */
export type { SignalingIdentity } from './control.js'
export type { LiveParticipant, LiveRoom, RoomPad, RoomPads, Unfinished } from './LiveRoom.js'
export { LiveRooms, type LiveRoomsDeps } from './LiveRooms.js'
export { RoomAssets, StorageQuotaExceededError } from './RoomAssets.js'
export { type NewPadSession, type PadSessionView, RoomStore } from './RoomStore.js'
export { isOwnerOrAdmin, readableRoom } from './roomAccess.js'
export { registerRoomEvents, type RoomRpcDeps } from './rpc.js'
export { errorPayload, SignalingError } from './signaling.js'
