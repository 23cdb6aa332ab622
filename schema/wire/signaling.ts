import type { ParticipantKind, ParticipantRole } from './columnValues.js'

/** The namespaces a room's signaling socket speaks: `control` (joining, roles) and `protocol` (the meeting protocol pad). */
export type SignalingNamespace = 'control' | 'protocol'

/** A server event's payload, tagged by `message` (`join_success`, `joined`, `write_url`, `error`, …). */
export type RoomEventPayload = { message: string } & Record<string, unknown>

/** A server frame on a room's signaling socket; `timestamp` is RFC 3339 UTC to the second. */
export interface RoomEvent {
  namespace: SignalingNamespace
  timestamp: string
  payload: RoomEventPayload
}

/**
 * A participant as one viewer is shown them, in `join_success.participants`, `joined` and
 * `update`; `protocol` (their pad access) is shown to moderators only.
 */
export interface RoomParticipant {
  id: string
  control: { display_name: string; role: ParticipantRole; participation_kind: ParticipantKind; joined_at: string; is_room_owner: boolean }
  protocol?: { readonly: boolean }
}
