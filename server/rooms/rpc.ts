import { rpcInputs } from '../../schema/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { LiveRooms } from './LiveRooms.js'
import { isOwnerOrAdmin, readableRoom } from './roomAccess.js'
import type { RoomRow, RoomStore } from './RoomStore.js'
import type { RpcRegistry } from '../rpc/index.js'

export interface RoomRpcDeps {
  roomStore: RoomStore
  liveRooms: LiveRooms
}

/** Meeting rooms over RPC: create (the caller owns and moderates it), read, delete, and guest links. */
export function registerRoomEvents(rpc: RpcRegistry, { roomStore: store, liveRooms }: RoomRpcDeps): void {
  const findRoom = (roomId: string): RoomRow => {
    const row = store.room(roomId)
    if (!row) throw new NotFoundError(`room ${roomId} does not exist`)
    return row
  }

  rpc.define('roomCreate', rpcInputs.roomCreate, ({ title }, ctx) => store.createRoom(title, ctx.user.id), { transaction: true })

  rpc.define('roomGet', rpcInputs.roomGet, ({ roomId }, ctx) => {
    const row = readableRoom(store, ctx.can, roomId)
    const present = [...(liveRooms.participantsOf(roomId)?.values() ?? [])]
    return {
      ...row,
      participants: present.map(({ id, displayName, role, kind, joinedAt }) => ({ id, displayName, role, kind, joinedAt })),
      assets: store.assetsOf(roomId).map(({ id, kind, filename, size, createdAt }) => ({ id, kind, filename, size, createdAt })),
    }
  })

  rpc.define(
    'roomDelete',
    rpcInputs.roomDelete,
    ({ roomId }, ctx) => {
      const row = findRoom(roomId)
      if (!isOwnerOrAdmin(ctx.can, row)) throw new ForbiddenError(`only the owner of room ${roomId} and administrators may delete it`)
      store.deleteRoom(roomId)
      ctx.afterCommit(() => liveRooms.end(roomId))
      return { roomId }
    },
    { transaction: true },
  )

  rpc.define(
    'roomGuestLinkCreate',
    rpcInputs.roomGuestLinkCreate,
    ({ roomId }, ctx) => {
      const row = findRoom(roomId)
      const isModerator = store.lastParticipation(roomId, ctx.user.id)?.role === 'moderator'
      if (!isOwnerOrAdmin(ctx.can, row) && !isModerator) throw new ForbiddenError(`only moderators of room ${roomId} may invite guests`)
      // The token is shown once; only its digest is stored.
      return { roomId, token: store.createGuestLink(roomId, ctx.user.id) }
    },
    { transaction: true },
  )
}
