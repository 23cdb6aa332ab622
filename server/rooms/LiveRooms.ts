import { SignalingCloseCode } from '../../schema/index.js'
import { CloseCode, type Logger } from '../../sync/index.js'
import { type ActiveRoom, LiveRoom, type RoomPads, type SignalingPeer } from './LiveRoom.js'
import type { RoomRow, RoomStore } from './RoomStore.js'
import { type RoomDirectory, SignalingConnection } from './SignalingConnection.js'
import { leaveAllAtShutdown, type SignalingIdentity } from './control.js'

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
  /** Joins on their way into each room: it is not forgotten under them. */
  private readonly joining = new Map<string, number>()
  private stopped = false

  constructor(private readonly deps: LiveRoomsDeps) {}

  /** A new signaling socket on an existing room; it joins with its first `join`. */
  connect(roomId: string, identity: SignalingIdentity, peer: SignalingPeer): SignalingConnection {
    return new SignalingConnection(this, this.deps.store, roomId, identity, peer, this.deps.log, this.deps.commandsPerSecond, this.deps.resumeWindowMs)
  }

  /**
   * Runs `join` in the room's queue, the room loaded from its row when nobody was in it. Null, with
   * `peer` closed, when the room is gone (deleted before or while the join waited) or the server
   * is stopping.
   */
  async enter<T>(roomId: string, peer: SignalingPeer, join: (active: ActiveRoom) => Promise<T>): Promise<T | null> {
    const active = await this.acquire(roomId)
    if (!active) return this.refuse(peer)
    try {
      return await active.room.queue.run(() => (this.active.get(roomId) === active ? join(active) : this.refuse(peer)))
    } finally {
      const left = (this.joining.get(roomId) ?? 1) - 1
      if (left > 0) this.joining.set(roomId, left)
      else this.joining.delete(roomId)
      this.releaseIfIdle(roomId)
    }
  }

  /** Forgets a room nobody is in or joining, unless its pad still has work running (that would fork its state). */
  releaseIfIdle(roomId: string): void {
    const active = this.active.get(roomId)
    if (active && active.room.isEmpty && !active.pad.isBusy && !this.joining.has(roomId)) this.active.delete(roomId)
  }

  /** Participants of the room right now (empty when nobody is in it). */
  participantsOf(roomId: string): ActiveRoom['room']['participants'] | null {
    return this.active.get(roomId)?.room.participants ?? null
  }

  /**
   * The server stops, after the engine's last write turn: everyone leaves every room and their
   * sockets close as going away; then every participation still open ends, while the database is
   * still open (pad sessions end with them; rejoining after the restart gives writers their
   * access back). Joins from now on are refused.
   */
  async shutdown(): Promise<void> {
    this.stopped = true
    for (const active of this.active.values()) leaveAllAtShutdown(active)
    this.active.clear()
    try {
      await this.deps.store.endAllParticipations()
    } catch (error) {
      // Left open, they end at the next start (`endStaleParticipations`).
      this.deps.log.error('rooms.shutdown_failed', { error: String(error) })
    }
  }

  /**
   * The room was deleted: in its queue (after the joins already waiting), everyone gets
   * `room_deleted` and is disconnected; then its pad is deleted, its connections closed.
   */
  async end(roomId: string): Promise<void> {
    const active = this.active.get(roomId)
    this.active.delete(roomId)
    if (active) {
      await active.room.queue.run(() => {
        const participants = [...active.room.participants.values()]
        active.room.participants.clear()
        for (const participant of participants) {
          active.room.send(participant, 'control', { message: 'room_deleted' })
          participant.peer.close(1000, 'the room was deleted')
        }
      })
    }
    return this.deps.pads.delete(roomId)
  }

  /** The room's live state with a join counted on it, loaded from its row when nobody was in it; null when the room is gone or the server stopping. */
  private async acquire(roomId: string): Promise<ActiveRoom | null> {
    let active = this.active.get(roomId)
    if (!active) {
      const row: RoomRow | null = await this.deps.store.room(roomId)
      if (!row || this.stopped) return null
      // Another join may have loaded it meanwhile.
      active = this.active.get(roomId) ?? this.open(row)
    }
    this.joining.set(roomId, (this.joining.get(roomId) ?? 0) + 1)
    return active
  }

  private open(row: RoomRow): ActiveRoom {
    const room = new LiveRoom(row)
    const active = { room, pad: this.deps.pads.open(room, () => this.releaseIfIdle(row.id)) }
    this.active.set(row.id, active)
    return active
  }

  private refuse(peer: SignalingPeer): null {
    if (this.stopped) peer.close(CloseCode.goingAway, 'server shutting down')
    else peer.close(SignalingCloseCode.unknownRoom, 'the room does not exist any more')
    return null
  }
}
