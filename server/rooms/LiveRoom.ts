import type { PadAccess, ParticipantKind, ParticipantRole, ProtocolCommand, RoomEventPayload, RoomParticipant, SignalingNamespace } from '../../schema/index.js'
import { RoomQueue } from './RoomQueue.js'
import type { NewPadSession, RoomRow } from './RoomStore.js'
import { encodeEvent } from './signaling.js'

/** The socket a participant's events go to. */
export interface SignalingPeer {
  send(text: string): void
  close(code: number, reason: string): void
}

/** A participant while joined: who they are, their role and pad access, and their socket. */
export interface LiveParticipant {
  readonly id: string
  readonly userId: number | null
  readonly kind: ParticipantKind
  readonly displayName: string
  readonly joinedAt: Date
  readonly isRoomOwner: boolean
  role: ParticipantRole
  /** Null until the pad gives them a session. */
  padAccess: PadAccess | null
  readonly peer: SignalingPeer
}

/** The namespaces of the room's modules (the pad's `protocol`), beside the room's own `control`. */
type ModuleNamespace = Exclude<SignalingNamespace, 'control'>

/** What a module adds to a participant as seen by `viewer`, or undefined for nothing. */
export type PeerData<N extends ModuleNamespace> = (participant: LiveParticipant, viewer: LiveParticipant) => RoomParticipant[N] | undefined

/** The joined participants of one room, the ways to reach them, and the queue their commands take turns in. */
export class LiveRoom {
  readonly participants = new Map<string, LiveParticipant>()
  /**
   * Every signaling command of the room runs here in arrival order (joins, leaves, roles, the
   * pad's writers), so the participants and their rows change together, as one command's work.
   */
  readonly queue = new RoomQueue()
  private readonly peerData: { [N in ModuleNamespace]?: PeerData<N> } = {}

  constructor(readonly info: RoomRow) {}

  /** Registers a module's per-participant data, shown in `join_success.participants`, `joined` and `update`. */
  addPeerData<N extends ModuleNamespace>(namespace: N, data: PeerData<N>): void {
    this.peerData[namespace] = data
  }

  send(to: LiveParticipant, namespace: SignalingNamespace, payload: RoomEventPayload): void {
    to.peer.send(encodeEvent(namespace, payload))
  }

  /** Sends each participant (but `except`) the payload made for them. */
  sendToEach(namespace: SignalingNamespace, payloadFor: (viewer: LiveParticipant) => RoomEventPayload, except?: LiveParticipant): void {
    for (const viewer of this.participants.values()) if (viewer !== except) this.send(viewer, namespace, payloadFor(viewer))
  }

  /** A participant as `viewer` sees them: `{id, control: {...}, <module>: {...}}`. */
  view(participant: LiveParticipant, viewer: LiveParticipant): RoomParticipant {
    const view: RoomParticipant = {
      id: participant.id,
      control: {
        display_name: participant.displayName,
        role: participant.role,
        participation_kind: participant.kind,
        joined_at: participant.joinedAt.toISOString(),
        is_room_owner: participant.isRoomOwner,
      },
    }
    for (const namespace of Object.keys(this.peerData) as ModuleNamespace[]) {
      const value = this.peerData[namespace]?.(participant, viewer)
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

/**
 * Work a command leaves running once its turn in the room's queue is over (a PDF being made, the
 * pad being created); its failure is the command's failure.
 */
export interface Unfinished {
  done: Promise<void>
}

/**
 * What a room needs of its pad, the module of the `protocol` namespace. The pad builds on the
 * rooms (`PadModule` in `server/pad/`) and is handed in through `RoomPads`, so rooms/ never
 * imports pad/.
 */
export interface RoomPad {
  /** What `join_success` carries under `protocol`. */
  readonly frontendData: Record<string, unknown>
  /** Work still running that will write to the room: forgetting the room now would fork its state. */
  readonly isBusy: boolean
  /** A `protocol` command of a joined participant, in its turn in the room's queue; what it leaves running past that turn, if anything. */
  handle(command: ProtocolCommand, sender: LiveParticipant): Promise<Unfinished | void>
  /** A participant is joining: their pad session, stored before the others hear of them; null before the pad exists. */
  sessionForJoiner(participant: LiveParticipant, previousAccess: PadAccess | null): Promise<NewPadSession | { failed: true } | null>
  /** Sends a joiner, after `join_success`, the URL of the session `sessionForJoiner` made (or why there is none). */
  sendJoinerUrl(participant: LiveParticipant, session: NewPadSession | { failed: true } | null): void
  /** A participant left: their pad session ends and its connections close. */
  left(participant: LiveParticipant): void
}

/** How `LiveRooms` gets the pad of each room. */
export interface RoomPads {
  /** The pad of a room someone is joining; `onSettled` is called whenever its background work ends. */
  open(room: LiveRoom, onSettled: () => void): RoomPad
  /** The room was deleted: its pad doc goes and the pad's connections close; resolves once it is gone from the store. */
  delete(roomId: string): Promise<void>
}

/** A room with someone in it: its participants and its pad. */
export interface ActiveRoom {
  room: LiveRoom
  pad: RoomPad
}
