import { controlCommand, protocolCommand, SignalingCloseCode } from '../../schema/index.js'
import { type Logger, TokenBucket } from '../../sync/index.js'
import { changeModeratorRole, displayNameOf, joinRoom, leaveRoom, type SignalingIdentity } from './control.js'
import type { ActiveRoom, LiveParticipant, SignalingPeer } from './LiveRoom.js'
import type { RoomStore } from './RoomStore.js'
import { decodeEnvelope, encodeEvent, errorPayload, parseCommand, SignalingError } from './signaling.js'

/** Close codes that mean the client said goodbye; anything else (a dropped network, a missed ping) is a timeout. */
const goodbyeCodes = new Set([1000, 1001])

/** What a signaling connection needs of the live rooms (`LiveRooms`): a room to join, and letting it go after leaving. */
export interface RoomDirectory {
  acquire(roomId: string): ActiveRoom | null
  releaseIfIdle(roomId: string): void
}

/**
 * One signaling websocket: reads `{namespace, payload}` frames in order, joins the room on
 * `control/join`, dispatches to the namespace's handler, and answers every failure with an
 * `error` event to the sender alone. Nothing a client sends can throw past `receive`.
 */
export class SignalingConnection {
  private membership: { active: ActiveRoom; participant: LiveParticipant } | null = null
  private isClosed = false
  /** Commands write to the database and fan out to the whole room, so one client must not flood them. */
  private readonly budget: TokenBucket

  constructor(
    private readonly rooms: RoomDirectory,
    private readonly store: RoomStore,
    private readonly roomId: string,
    private readonly identity: SignalingIdentity,
    private readonly peer: SignalingPeer,
    private readonly log: Logger,
    commandsPerSecond: number,
    private readonly resumeWindowMs: number,
  ) {
    this.budget = new TokenBucket(commandsPerSecond, commandsPerSecond * 2)
  }

  /** Handles one frame; the answer (or error) is sent to this socket. */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.isClosed) return
    if (!this.budget.take()) {
      this.peer.send(encodeEvent('control', { message: 'rate_limit_exceeded' }))
      return
    }
    this.dispatch(data, isBinary).catch((error: unknown) => this.fail(error))
  }

  /** The socket closed: leave the room. Idempotent. */
  closed(code: number): void {
    if (this.isClosed) return
    this.isClosed = true
    if (!this.membership) return
    const { active, participant } = this.membership
    this.membership = null
    try {
      leaveRoom(active, this.store, participant, goodbyeCodes.has(code) ? 'quit' : 'timeout')
    } catch (error) {
      this.log.error('signaling.leave_failed', { room: this.roomId, error: String(error) })
    } finally {
      this.rooms.releaseIfIdle(this.roomId)
    }
  }

  private async dispatch(data: Buffer, isBinary: boolean): Promise<void> {
    const { namespace, payload } = decodeEnvelope(data, isBinary)
    switch (namespace) {
      case 'control':
        return this.control(payload)
      case 'protocol': {
        const { active, participant } = this.joined()
        return active.pad.handle(parseCommand(protocolCommand, payload), participant)
      }
      default:
        throw new SignalingError('control', 'invalid_namespace', `unknown namespace "${namespace}"; this room speaks control and protocol`)
    }
  }

  private control(payload: unknown): void {
    const command = parseCommand(controlCommand, payload)
    if (command.action === 'join') {
      if (this.membership) throw new SignalingError('control', 'already_joined', 'this connection has joined the room already')
      const displayName = displayNameOf(this.identity, command.display_name)
      const active = this.rooms.acquire(this.roomId)
      if (!active) {
        this.peer.close(SignalingCloseCode.unknownRoom, 'the room does not exist any more')
        return
      }
      const participant = joinRoom(active, this.store, {
        identity: this.identity,
        peer: this.peer,
        displayName,
        resumption: command.resumption,
        resumeWindowMs: this.resumeWindowMs,
      })
      this.membership = { active, participant }
      return
    }
    const { active, participant } = this.joined()
    changeModeratorRole(active, this.store, participant, command.target, command.action === 'grant_moderator_role')
  }

  private joined(): { active: ActiveRoom; participant: LiveParticipant } {
    if (!this.membership) throw new SignalingError('control', 'not_yet_joined', 'send {"namespace":"control","payload":{"action":"join"}} first')
    const { active, participant } = this.membership
    // A resumed participation belongs to the new connection; this one only waits for its close.
    if (active.room.participants.get(participant.id) !== participant) {
      throw new SignalingError('control', 'not_yet_joined', 'this connection was replaced by one that resumed the participation')
    }
    return this.membership
  }

  /** The one place a failed command becomes an answer: typed errors as `error` events, anything else logged. */
  private fail(error: unknown): void {
    if (this.isClosed) return
    if (error instanceof SignalingError) {
      this.peer.send(encodeEvent(error.namespace, errorPayload(error)))
      return
    }
    this.log.error('signaling.command_failed', { room: this.roomId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    this.peer.send(encodeEvent('control', { message: 'error', error: 'internal_error', detail: 'the server could not handle this command' }))
  }
}
