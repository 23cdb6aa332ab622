import type { PadAccess, ParticipantRole } from '../../schema/index.js'
import type { RoomRow } from './RoomStore.js'
import { encodeEvent, type EventPayload, type Namespace } from './signaling.js'

/** The socket a participant's events go to. */
export interface SignalingPeer {
  send(text: string): void
  close(code: number, reason: string): void
}

/** A participant while joined: who they are, their role and pad access, and their socket. */
export interface LiveParticipant {
  readonly id: string
  readonly userId: number | null
  readonly kind: 'user' | 'guest'
  readonly displayName: string
  readonly joinedAt: Date
  readonly isRoomOwner: boolean
  role: ParticipantRole
  /** Null until the pad gives them a session. */
  padAccess: PadAccess | null
  readonly peer: SignalingPeer
}

/** What a module adds to a participant as seen by `viewer` (the original's PeerFrontendData), or undefined for nothing. */
export type PeerData = (participant: LiveParticipant, viewer: LiveParticipant) => Record<string, unknown> | undefined

/** The joined participants of one room and the ways to reach them. */
export class LiveRoom {
  readonly participants = new Map<string, LiveParticipant>()
  private readonly peerData: Partial<Record<Namespace, PeerData>> = {}

  constructor(readonly info: RoomRow) {}

  /** Registers a module's per-participant data, shown in `join_success.participants`, `joined` and `update`. */
  addPeerData(namespace: Namespace, data: PeerData): void {
    this.peerData[namespace] = data
  }

  send(to: LiveParticipant, namespace: Namespace, payload: EventPayload): void {
    to.peer.send(encodeEvent(namespace, payload))
  }

  /** Sends each participant (but `except`) the payload made for them. */
  sendToEach(namespace: Namespace, payloadFor: (viewer: LiveParticipant) => EventPayload, except?: LiveParticipant): void {
    for (const viewer of this.participants.values()) if (viewer !== except) this.send(viewer, namespace, payloadFor(viewer))
  }

  /** A participant as `viewer` sees them: `{id, control: {...}, <module>: {...}}`. */
  view(participant: LiveParticipant, viewer: LiveParticipant): Record<string, unknown> {
    const view: Record<string, unknown> = {
      id: participant.id,
      control: {
        display_name: participant.displayName,
        role: participant.role,
        participation_kind: participant.kind,
        joined_at: participant.joinedAt.toISOString(),
        is_room_owner: participant.isRoomOwner,
      },
    }
    for (const [namespace, data] of Object.entries(this.peerData)) {
      const value = data(participant, viewer)
      if (value !== undefined) view[namespace] = value
    }
    return view
  }

  /** Tells everyone else (in `audience`) that `participant` changed (control `update`). */
  announceUpdate(participant: LiveParticipant, audience: (viewer: LiveParticipant) => boolean = () => true): void {
    for (const viewer of this.participants.values()) {
      if (viewer !== participant && audience(viewer)) this.send(viewer, 'control', { message: 'update', ...this.view(participant, viewer) })
    }
  }

  /** Sends `viewer` an `update` for every other participant, after what they may see changed (a new role). */
  refreshViewOf(viewer: LiveParticipant): void {
    for (const participant of this.participants.values()) {
      if (participant !== viewer) this.send(viewer, 'control', { message: 'update', ...this.view(participant, viewer) })
    }
  }

  get isEmpty(): boolean {
    return this.participants.size === 0
  }
}
