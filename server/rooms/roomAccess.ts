import type { Permissions } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { RoomRow, RoomStore } from './RoomStore.js'

/** The room's owner and administrators: they may delete it and invite guests. */
export function isOwnerOrAdmin(can: Permissions, row: RoomRow): boolean {
  return row.createdBy === can.user.id || can.isAdmin()
}

/** The room, if the caller may read it (and its pad's history): its owner, admins, and everyone who joined it. */
export async function readableRoom(store: RoomStore, can: Permissions, roomId: string): Promise<RoomRow> {
  const row = await store.room(roomId)
  if (!row) throw new NotFoundError(`room ${roomId} does not exist`)
  if (!isOwnerOrAdmin(can, row) && !(await store.hasParticipated(roomId, can.user.id))) {
    throw new ForbiddenError(`only the owner and participants of room ${roomId} may read it`)
  }
  return row
}
