import { SignalingCloseCode } from '../../schema/index.js'
import { CloseCode } from '../../sync/index.js'
import { newSecret, secretDigest, type SessionUser } from '../auth/index.js'
import type { ActiveRoom, LiveParticipant, SignalingPeer } from './LiveRoom.js'
import type { ParticipantRow, RoomStore } from './RoomStore.js'
import { SignalingError } from './signaling.js'

/** Who opened a signaling socket: a signed-in user, or a guest holding the room's guest link. */
export type SignalingIdentity = { kind: 'user'; user: SessionUser } | { kind: 'guest' }

const maxDisplayNameLength = 100

const controlError = (kind: string, detail: string) => new SignalingError('control', kind, detail)

/** What a `join` brings: who connected, their socket, the name they asked for, and a resumption token if any. */
export interface JoinRequest {
  identity: SignalingIdentity
  peer: SignalingPeer
  /** From `displayNameOf`. */
  displayName: string
  /** The `resumption` of an earlier `join_success`, to come back as the same participant. */
  resumption: string | undefined
  /** How long after leaving a participation can be resumed. */
  resumeWindowMs: number
}

/**
 * `join`, in the room's queue: records the participation, stores the newcomer's pad session,
 * answers `join_success` (with a fresh resumption token), tells the others `joined` (with the
 * newcomer's pad access, for moderators), then sends the newcomer's pad URL. A valid resumption
 * token of the same user (or a guest) within the window resumes that participation: same id, role
 * and pad access. Otherwise a returning user gets back the moderator role they were granted and
 * the pad access they had.
 */
export async function joinRoom(active: ActiveRoom, store: RoomStore, request: JoinRequest): Promise<LiveParticipant> {
  const { room, pad } = active
  const { identity, peer } = request
  const userId = identity.kind === 'user' ? identity.user.id : null
  const isRoomOwner = userId === room.info.createdBy
  const resumed = await resumableParticipation(active, store, request)
  const displayName = unusedName(active, request.displayName)
  const previous = resumed ?? (userId === null ? null : await store.lastParticipation(room.info.id, userId))
  const role = isRoomOwner || previous?.role === 'moderator' ? 'moderator' : identity.kind === 'user' ? 'user' : 'guest'
  const resumption = newSecret()
  const joinedAt = new Date()
  const row = resumed
    ? await store.resumeParticipation(resumed.id, { displayName, role, joinedAt, resumptionHash: secretDigest(resumption) })
    : await store.addParticipant({ roomId: room.info.id, userId, displayName, kind: identity.kind, role, joinedAt, resumptionHash: secretDigest(resumption) })
  const participant: LiveParticipant = { id: row.id, userId, kind: identity.kind, displayName, joinedAt, isRoomOwner, role, padAccess: null, peer }

  const session = await pad.sessionForJoiner(participant, previous?.padAccess ?? null)
  // In the room only from here on, so nothing sent to the whole room (a PDF) reaches them before `join_success`.
  room.participants.set(participant.id, participant)
  room.send(participant, 'control', {
    message: 'join_success',
    id: participant.id,
    display_name: displayName,
    role,
    is_room_owner: isRoomOwner,
    resumption,
    room_info: { id: room.info.id, title: room.info.title, created_by: room.info.createdBy },
    protocol: pad.frontendData,
    participants: [...room.participants.values()].filter((other) => other !== participant).map((other) => room.view(other, participant)),
  })
  room.sendToEach('control', (viewer) => ({ message: 'joined', ...room.view(participant, viewer) }), participant)
  pad.sendJoinerUrl(participant, session)
  return participant
}

/**
 * The participation a resumption token brings back: of this room, of the same user (or a guest),
 * left no longer ago than the window. If its old socket still counts as joined (a dropped network
 * not yet noticed), that connection is ended first. An unknown or expired token resumes nothing
 * (the join goes on as a new participant).
 */
async function resumableParticipation(active: ActiveRoom, store: RoomStore, { identity, resumption, resumeWindowMs }: JoinRequest): Promise<ParticipantRow | null> {
  if (!resumption) return null
  const row = await store.resumableParticipation(active.room.info.id, resumption, new Date(Date.now() - resumeWindowMs))
  const sameIdentity = row !== null && row.kind === identity.kind && (identity.kind === 'guest' || row.userId === identity.user.id)
  if (!sameIdentity) return null
  const stale = active.room.participants.get(row.id)
  if (stale) {
    await leaveRoom(active, store, stale, 'timeout')
    stale.peer.close(SignalingCloseCode.replaced, 'resumed by a new connection')
  }
  return row
}

/** A participant's socket closed, in the room's queue: the participation ends, its pad session and connections with it, and the others get `left`. */
export async function leaveRoom(active: ActiveRoom, store: RoomStore, participant: LiveParticipant, reason: 'quit' | 'timeout'): Promise<void> {
  // A resumed participation keeps its id: only the object that is in the room now may leave it.
  if (active.room.participants.get(participant.id) !== participant) return
  active.room.participants.delete(participant.id)
  try {
    await store.markLeft(participant.id, reason)
  } finally {
    // Even if the row could not be updated, the pad connections close and the others are told.
    announceLeft(active, participant, reason)
  }
}

/**
 * The server stops: everyone leaves the room at once, told nothing more than `left` and a close as
 * going away. Their rows end together afterwards (`RoomStore.endAllParticipations`).
 */
export function leaveAllAtShutdown(active: ActiveRoom): void {
  for (const participant of [...active.room.participants.values()]) {
    active.room.participants.delete(participant.id)
    announceLeft(active, participant, 'quit')
    participant.peer.close(CloseCode.goingAway, 'server shutting down')
  }
}

/** A participant is out of the room: their pad connections close, and the others get `left`. */
function announceLeft(active: ActiveRoom, participant: LiveParticipant, reason: 'quit' | 'timeout'): void {
  active.pad.left(participant)
  active.room.sendToEach('control', () => ({ message: 'left', id: participant.id, reason }))
}

/**
 * `grant_moderator_role` / `revoke_moderator_role`, in the room's queue: moderators only; the owner stays moderator.
 * The target gets `role_updated` (and, as a new moderator, what moderators see of everyone), the
 * others an `update`, the sender an acknowledgement.
 */
export async function changeModeratorRole(active: ActiveRoom, store: RoomStore, sender: LiveParticipant, targetId: string, grant: boolean): Promise<void> {
  const { room } = active
  if (sender.role !== 'moderator') throw controlError('insufficient_permissions', 'only moderators may grant or revoke the moderator role')
  const target = room.participants.get(targetId)
  if (!target) throw controlError('nothing_to_do', `no participant ${targetId} is in the room`)
  if (!grant && target.isRoomOwner) throw controlError('target_is_room_owner', 'the room owner is always a moderator')
  if ((target.role === 'moderator') === grant) throw controlError('nothing_to_do', grant ? 'the participant is a moderator already' : 'the participant is not a moderator')

  const role = grant ? 'moderator' : target.kind === 'user' ? 'user' : 'guest'
  await store.setRole(target.id, role)
  target.role = role
  room.send(target, 'control', { message: 'role_updated', new_role: target.role })
  room.refreshViewOf(target)
  room.announceUpdate(target)
  room.send(sender, 'control', { message: grant ? 'moderator_role_granted' : 'moderator_role_revoked', target: target.id })
}

/**
 * `name`, or `name (2)`, `name (3)`, … when someone in the room has it already: names tell people
 * (and their cursors) apart, so two present participants never share one.
 */
function unusedName(active: ActiveRoom, name: string): string {
  const taken = new Set([...active.room.participants.values()].map((participant) => participant.displayName))
  let candidate = name
  for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${name} (${suffix})`
  return candidate
}

/** The name a participant joins with: the requested one, else the account name (guests: "Guest"); throws `invalid_username`. */
export function displayNameOf(identity: SignalingIdentity, requested: string | undefined): string {
  const name = requested?.trim() || (identity.kind === 'user' ? identity.user.userName : 'Guest')
  if (name.length > maxDisplayNameLength) throw controlError('invalid_username', `display_name may have at most ${maxDisplayNameLength} characters`)
  return name
}
