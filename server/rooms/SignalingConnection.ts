import { type ControlCommand, controlCommand, protocolCommand } from '../../schema/index.js'
import { type Logger, TokenBucket } from '../../sync/index.js'
import { changeModeratorRole, displayNameOf, joinRoom, leaveRoom, type SignalingIdentity } from './control.js'
import type { ActiveRoom, LiveParticipant, SignalingPeer } from './LiveRoom.js'
import type { RoomStore } from './RoomStore.js'
import { decodeEnvelope, encodeEvent, errorPayload, parseCommand, SignalingError } from './signaling.js'

/** Close codes that mean the client said goodbye; anything else (a dropped network, a missed ping) is a timeout. */
const goodbyeCodes = new Set([1000, 1001])

/** What a signaling connection needs of the live rooms (`LiveRooms`): a room to join, and letting it go after leaving. */
export interface RoomDirectory {
  /** Runs `join` in the room's queue; null, with `peer` closed, when the room is gone or the server stopping. */
  enter<T>(roomId: string, peer: SignalingPeer, join: (active: ActiveRoom) => Promise<T>): Promise<T | null>
  releaseIfIdle(roomId: string): void
}

/** A decoded frame: a control command validated; a protocol payload is validated once the sender is known to be joined. */
type Frame = { namespace: 'control'; command: ControlCommand } | { namespace: 'protocol'; payload: unknown }

/**
 * One signaling websocket: reads `{namespace, payload}` frames in order, joins the room on
 * `control/join`, runs every command in the room's queue in arrival order, and answers every
 * failure with an `error` event to the sender alone. Nothing a client sends can throw past
 * `receive`.
 */
export class SignalingConnection {
  private membership: { active: ActiveRoom; participant: LiveParticipant } | null = null
  private isClosed = false
  /** Commands write to the database and fan out to the whole room, so one client must not flood them. */
  private readonly budget: TokenBucket
  /**
   * Resolves once the frames received so far have reached the room's queue. A join reaches it only
   * when done, so the frames after it (and the socket's close) find this connection joined.
   */
  private submitted: Promise<void> = Promise.resolve()

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
    this.submitted = this.submitted.then(() => this.submit(data, isBinary))
  }

  /** The socket closed: leave the room, after this socket's own join if it is still under way. Idempotent. */
  closed(code: number): void {
    if (this.isClosed) return
    this.isClosed = true
    this.submitted = this.submitted.then(() => this.leave(goodbyeCodes.has(code) ? 'quit' : 'timeout'))
  }

  /** Starts one frame's work; a join's promise, so the next frame waits for it. Never rejects. */
  private submit(data: Buffer, isBinary: boolean): Promise<void> | undefined {
    let frame: Frame
    try {
      frame = decodeFrame(data, isBinary)
    } catch (error) {
      this.fail(error)
      return undefined
    }
    const handled = this.handle(frame).catch((error: unknown) => this.fail(error))
    return frame.namespace === 'control' && frame.command.action === 'join' ? handled : undefined
  }

  private async handle(frame: Frame): Promise<void> {
    if (frame.namespace === 'control') {
      const command = frame.command
      if (command.action === 'join') return this.join(command.display_name, command.resumption)
      const { active } = this.joined()
      const { target, action } = command
      return active.room.queue.run(() => changeModeratorRole(active, this.store, this.joined().participant, target, action === 'grant_moderator_role'))
    }
    const { active } = this.joined()
    const command = parseCommand(protocolCommand, frame.payload)
    const unfinished = await active.room.queue.run(() => active.pad.handle(command, this.joined().participant))
    if (unfinished) await unfinished.done
  }

  private async join(requestedName: string | undefined, resumption: string | undefined): Promise<void> {
    if (this.membership) throw new SignalingError('control', 'already_joined', 'this connection has joined the room already')
    const displayName = displayNameOf(this.identity, requestedName)
    this.membership = await this.rooms.enter(this.roomId, this.peer, async (active) => ({
      active,
      participant: await joinRoom(active, this.store, { identity: this.identity, peer: this.peer, displayName, resumption, resumeWindowMs: this.resumeWindowMs }),
    }))
  }

  private async leave(reason: 'quit' | 'timeout'): Promise<void> {
    if (!this.membership) return
    const { active, participant } = this.membership
    this.membership = null
    try {
      await active.room.queue.run(() => leaveRoom(active, this.store, participant, reason))
    } catch (error) {
      this.log.error('signaling.leave_failed', { room: this.roomId, error: String(error) })
    } finally {
      this.rooms.releaseIfIdle(this.roomId)
    }
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

/** Decodes a frame; throws SignalingError. */
function decodeFrame(data: Buffer, isBinary: boolean): Frame {
  const { namespace, payload } = decodeEnvelope(data, isBinary)
  switch (namespace) {
    case 'control':
      return { namespace, command: parseCommand(controlCommand, payload) }
    case 'protocol':
      return { namespace, payload }
    default:
      throw new SignalingError('control', 'invalid_namespace', `unknown namespace "${namespace}"; this room speaks control and protocol`)
  }
}
