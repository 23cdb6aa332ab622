import { CloseCode, type Logger } from '../../sync/index.js'
import { type ActiveRoom, LiveRoom, type RoomPads, type SignalingPeer } from './LiveRoom.js'
import type { RoomRow, RoomStore } from './RoomStore.js'
import { type RoomDirectory, SignalingConnection } from './SignalingConnection.js'
import { leaveRoom, type SignalingIdentity } from './control.js'

export interface LiveRoomsDeps {
  store: RoomStore
  /** The pad of each room (`padModules` in `server/pad/`). */
  pads: RoomPads
  log: Logger
  /** Commands one signaling connection may send per second (bursts of twice that). */
  commandsPerSecond: number
  /** How long after leaving a participation can be resumed with its token. */
  resumeWindowMs: number
}

/** The rooms that have participants right now; a room is kept in memory only while someone is in it. */
export class LiveRooms implements RoomDirectory {
  private readonly active = new Map<string, ActiveRoom>()

  constructor(private readonly deps: LiveRoomsDeps) {}

  /** A new signaling socket on an existing room; it joins with its first `join`. */
  connect(roomId: string, identity: SignalingIdentity, peer: SignalingPeer): SignalingConnection {
    return new SignalingConnection(this, this.deps.store, roomId, identity, peer, this.deps.log, this.deps.commandsPerSecond, this.deps.resumeWindowMs)
  }

  /** The room's live state, loaded from its row when nobody was in it; null when the room is gone. */
  acquire(roomId: string): ActiveRoom | null {
    const existing = this.active.get(roomId)
    if (existing) return existing
    const row: RoomRow | null = this.deps.store.room(roomId)
    if (!row) return null
    const room = new LiveRoom(row)
    const active = { room, pad: this.deps.pads.open(room, () => this.releaseIfIdle(roomId)) }
    this.active.set(roomId, active)
    return active
  }

  /** Forgets a room nobody is in, unless its pad still has work running (that would fork its state). */
  releaseIfIdle(roomId: string): void {
    const active = this.active.get(roomId)
    if (active && active.room.isEmpty && !active.pad.isBusy) this.active.delete(roomId)
  }

  /** Participants of the room right now (empty when nobody is in it). */
  participantsOf(roomId: string): ActiveRoom['room']['participants'] | null {
    return this.active.get(roomId)?.room.participants ?? null
  }

  /**
   * The server stops: every participation ends now, while the database is still open (pad sessions
   * end with them; rejoining after the restart gives writers their access back), and every socket
   * closes as going away.
   */
  shutdown(): void {
    for (const active of this.active.values()) {
      for (const participant of [...active.room.participants.values()]) {
        leaveRoom(active, this.deps.store, participant, 'quit')
        participant.peer.close(CloseCode.goingAway, 'server shutting down')
      }
    }
    this.active.clear()
  }

  /** The room was deleted: everyone gets `room_deleted` and is disconnected; its pad is deleted, its connections closed. */
  end(roomId: string): Promise<void> {
    const active = this.active.get(roomId)
    this.active.delete(roomId)
    if (active) {
      const participants = [...active.room.participants.values()]
      active.room.participants.clear()
      for (const participant of participants) {
        active.room.send(participant, 'control', { message: 'room_deleted' })
        participant.peer.close(1000, 'the room was deleted')
      }
    }
    return this.deps.pads.delete(roomId)
  }
}
