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
  const findRoom = async (roomId: string): Promise<RoomRow> => {
    const row = await store.room(roomId)
    if (!row) throw new NotFoundError(`room ${roomId} does not exist`)
    return row
  }

  // The writes of these events are plain statements of RoomStore inside their own transaction (`transaction: true`).
  rpc.define('roomCreate', rpcInputs.roomCreate, ({ title }, ctx) => store.createRoom(title, ctx.user.id), { transaction: true })

  rpc.define('roomGet', rpcInputs.roomGet, async ({ roomId }, ctx) => {
    const row = await readableRoom(store, ctx.can, roomId)
    const present = [...(liveRooms.participantsOf(roomId)?.values() ?? [])]
    return {
      ...row,
      participants: present.map(({ id, displayName, role, kind, joinedAt }) => ({ id, displayName, role, kind, joinedAt })),
      assets: (await store.assetsOf(roomId)).map(({ id, kind, filename, size, createdAt }) => ({ id, kind, filename, size, createdAt })),
    }
  }, { scope: "the room's owner, admins and its participants" })

  rpc.define(
    'roomDelete',
    rpcInputs.roomDelete,
    async ({ roomId }, ctx) => {
      const row = await findRoom(roomId)
      if (!isOwnerOrAdmin(ctx.can, row)) throw new ForbiddenError(`only the owner of room ${roomId} and administrators may delete it`)
      await store.deleteRoom(roomId)
      ctx.afterCommit(() => liveRooms.end(roomId))
      return { roomId }
    },
    { transaction: true, scope: "the room's owner and admins" },
  )

  rpc.define(
    'roomGuestLinkCreate',
    rpcInputs.roomGuestLinkCreate,
    async ({ roomId }, ctx) => {
      const row = await findRoom(roomId)
      const isModerator = (await store.lastParticipation(roomId, ctx.user.id))?.role === 'moderator'
      if (!isOwnerOrAdmin(ctx.can, row) && !isModerator) throw new ForbiddenError(`only moderators of room ${roomId} may invite guests`)
      // The token is shown once; only its digest is stored.
      return { roomId, token: await store.createGuestLink(roomId, ctx.user.id) }
    },
    { transaction: true, scope: "the room's owner, admins and its moderators" },
  )
}
