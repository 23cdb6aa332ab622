import type { SessionUser } from '../auth/index.js'
import type { ActiveRoom } from './LiveRooms.js'
import type { LiveParticipant, SignalingPeer } from './LiveRoom.js'
import type { RoomStore } from './RoomStore.js'
import { SignalingError } from './signaling.js'

/** Who opened a signaling socket: a signed-in user, or a guest holding the room's guest link. */
export type SignalingIdentity = { kind: 'user'; user: SessionUser } | { kind: 'guest' }

const maxDisplayNameLength = 100

const controlError = (kind: string, detail: string) => new SignalingError('control', kind, detail)

/**
 * `join`: records the participation, gives the newcomer their pad session, answers
 * `join_success`, tells the others `joined` (with the newcomer's pad access, for moderators), then
 * sends the newcomer's pad URL. A returning user gets back the moderator role they were granted
 * and the pad access they had. `displayName` comes from `displayNameOf`.
 */
export function joinRoom(active: ActiveRoom, store: RoomStore, identity: SignalingIdentity, peer: SignalingPeer, displayName: string): LiveParticipant {
  const { room, protocol } = active
  const userId = identity.kind === 'user' ? identity.user.id : null
  const isRoomOwner = userId === room.info.createdBy
  const previous = userId === null ? null : store.lastParticipation(room.info.id, userId)
  const role = isRoomOwner || previous?.role === 'moderator' ? 'moderator' : identity.kind === 'user' ? 'user' : 'guest'
  const row = store.addParticipant({ roomId: room.info.id, userId, displayName, kind: identity.kind, role, joinedAt: new Date() })
  const participant: LiveParticipant = { id: row.id, userId, kind: identity.kind, displayName, joinedAt: row.joinedAt, isRoomOwner, role, padAccess: null, peer }

  room.participants.set(participant.id, participant)
  const session = protocol.sessionForJoiner(participant, previous?.padAccess ?? null)
  room.send(participant, 'control', {
    message: 'join_success',
    id: participant.id,
    display_name: displayName,
    role,
    is_room_owner: isRoomOwner,
    room_info: { id: room.info.id, title: room.info.title, created_by: room.info.createdBy },
    protocol: protocol.frontendData,
    participants: [...room.participants.values()].filter((other) => other !== participant).map((other) => room.view(other, participant)),
  })
  room.sendToEach('control', (viewer) => ({ message: 'joined', ...room.view(participant, viewer) }), participant)
  protocol.sendJoinerUrl(participant, session)
  return participant
}

/** A participant's socket closed: the participation ends, its pad session and connections with it, and the others get `left`. */
export function leaveRoom(active: ActiveRoom, store: RoomStore, participant: LiveParticipant, reason: 'quit' | 'timeout'): void {
  const { room, protocol } = active
  if (!room.participants.delete(participant.id)) return
  store.markLeft(participant.id, reason)
  protocol.left(participant)
  room.sendToEach('control', () => ({ message: 'left', id: participant.id, reason }))
}

/**
 * `grant_moderator_role` / `revoke_moderator_role`: moderators only; the owner stays moderator.
 * The target gets `role_updated` (and, as a new moderator, what moderators see of everyone), the
 * others an `update`, the sender an acknowledgement.
 */
export function changeModeratorRole(active: ActiveRoom, store: RoomStore, sender: LiveParticipant, targetId: string, grant: boolean): void {
  const { room } = active
  if (sender.role !== 'moderator') throw controlError('insufficient_permissions', 'only moderators may grant or revoke the moderator role')
  const target = room.participants.get(targetId)
  if (!target) throw controlError('nothing_to_do', `no participant ${targetId} is in the room`)
  if (!grant && target.isRoomOwner) throw controlError('target_is_room_owner', 'the room owner is always a moderator')
  if ((target.role === 'moderator') === grant) throw controlError('nothing_to_do', grant ? 'the participant is a moderator already' : 'the participant is not a moderator')

  target.role = grant ? 'moderator' : target.kind === 'user' ? 'user' : 'guest'
  store.setRole(target.id, target.role)
  room.send(target, 'control', { message: 'role_updated', new_role: target.role })
  room.refreshViewOf(target)
  room.announceUpdate(target)
  room.send(sender, 'control', { message: grant ? 'moderator_role_granted' : 'moderator_role_revoked', target: target.id })
}

/** The name a participant joins with: the requested one, else the account name (guests: "Guest"); throws `invalid_username`. */
export function displayNameOf(identity: SignalingIdentity, requested: string | undefined): string {
  const name = requested?.trim() || (identity.kind === 'user' ? identity.user.userName : 'Guest')
  if (name.length > maxDisplayNameLength) throw controlError('invalid_username', `display_name may have at most ${maxDisplayNameLength} characters`)
  return name
}
