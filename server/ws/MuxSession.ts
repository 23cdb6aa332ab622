import type { WebSocket } from 'ws'
import { decodeMuxFrame, encodeMuxControl, type MuxControl, MuxFrameError } from '../../schema/index.js'
import { type Authorize, CloseCode, type Connection, type ConnectionGrant, type UpgradeCredentials } from '../../sync/index.js'
import { type DocJoinDeps, grantFor, joinDoc } from './joinDoc.js'
import { MuxChannel, type MuxTransport } from './MuxChannel.js'
import type { UserSockets } from './UserSockets.js'

export interface MuxSessionDeps extends DocJoinDeps {
  authorize: Authorize
  userSockets: UserSockets
  maxDocsPerSocket: number
}

interface OpenChannel {
  channel: MuxChannel
  /** Null while the doc is being authorized. */
  connection: Connection | null
}

/**
 * One accepted `/mux` websocket: routes each channel's frames to its doc's Connection and opens
 * and closes channels as the client asks. Every doc is decided as a `/sync/<doc>` upgrade is, from
 * the socket's credentials; a doc refused or closed (access, a protocol error in its frames) ends
 * its channel only. Frames that break the envelope itself end the socket.
 */
export class MuxSession implements MuxTransport {
  private readonly channels = new Map<number, OpenChannel>()
  /** The highest channel id opened so far: ids at or below it that are not open were closed. */
  private highestId = 0
  private pausedChannels = 0
  private ended = false

  constructor(
    private readonly ws: WebSocket,
    private readonly credentials: UpgradeCredentials,
    /** The account the socket signed in as (null: none; each doc may still grant on its own credentials, a pad's). */
    private readonly userId: string | null,
    /** Whether the socket's login still signs anyone in; asked before each re-check of its docs. */
    private readonly sessionAlive: () => Promise<boolean>,
    private readonly deps: MuxSessionDeps,
  ) {}

  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  sendFrame(frame: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame)
  }

  pause(): void {
    if (this.pausedChannels++ === 0) this.ws.pause()
  }

  resume(): void {
    if (--this.pausedChannels === 0) this.ws.resume()
  }

  receive(data: Buffer, isBinary: boolean): void {
    if (this.ended) return
    if (!isBinary) return this.end(CloseCode.unsupportedData, 'text frames are not part of the protocol; send binary')
    let frame
    try {
      frame = decodeMuxFrame(data)
    } catch (error) {
      if (!(error instanceof MuxFrameError)) throw error
      this.deps.log.info('mux.malformed_frame', { reason: error.message })
      return this.end(CloseCode.badRequest, error.message)
    }
    if (frame.kind === 'control') return this.control(frame.control)
    const open = this.channels.get(frame.channel)
    if (open?.connection) return open.connection.receive(frame.message, true)
    if (open) return open.channel.close(CloseCode.badRequest, `channel ${frame.channel} sent a message before it was opened: wait for "opened"`)
    // A frame for a channel the server closed may have crossed the close on the wire: dropped.
    if (frame.channel > this.highestId) this.refuse(frame.channel, CloseCode.badRequest, `unknown channel ${frame.channel}: open it first`)
  }

  /** The socket is gone: every channel goes with it. Idempotent. */
  closed(): void {
    this.ended = true
    for (const { channel } of [...this.channels.values()]) channel.gone()
    this.channels.clear()
  }

  private control(control: MuxControl): void {
    switch (control.type) {
      case 'open':
        return this.open(control.channel, control.docName)
      case 'close':
        this.channels.get(control.channel)?.channel.gone()
        return
      default:
        return this.end(CloseCode.badRequest, `malformed mux frame: "${control.type}" is sent by the server only`)
    }
  }

  private open(id: number, docName: string): void {
    if (id <= this.highestId) {
      // Whatever was open under that id ends with it: the client lost track of its channels.
      this.channels.get(id)?.channel.close(CloseCode.badRequest, 'channel id used twice')
      return this.refuse(id, CloseCode.badRequest, `channel id ${id} was used before: each new channel takes a higher id`)
    }
    this.highestId = id
    const { maxDocsPerSocket } = this.deps
    if (this.channels.size >= maxDocsPerSocket) {
      return this.refuse(id, CloseCode.tooManyRequests, `too many documents on one socket: at most ${maxDocsPerSocket}; close one or open another socket`)
    }
    const channel = new MuxChannel(id, this)
    const open: OpenChannel = { channel, connection: null }
    this.channels.set(id, open)
    channel.once('close', () => this.channels.delete(id))
    grantFor(this.deps.authorize, docName, this.credentials)
      .then((grant) => this.join(open, docName, grant))
      .catch((error: unknown) => {
        this.deps.log.error('sync.authorize_failed', { doc: docName, error: String(error) })
        channel.close(CloseCode.internalError, 'access to the document could not be decided; try again')
      })
  }

  private join(open: OpenChannel, docName: string, grant: ConnectionGrant | null): void {
    const { channel } = open
    // Closed by the client, or the socket, while it was being authorized.
    if (!channel.isOpen) return
    const admit = (userId: string, name: string) => this.deps.userSockets.admitChannel(channel, userId, name)
    open.connection = joinDoc(this.deps, channel, docName, grant, this.recheck, admit)
    if (open.connection) channel.announce()
  }

  /** A doc's grant decided again: when the socket's login no longer signs anyone in, the whole socket ends with 4401. */
  private readonly recheck = async (docName: string): Promise<ConnectionGrant | null> => {
    if (this.userId !== null && !(await this.sessionAlive())) {
      this.end(CloseCode.unauthenticated, 'token expired or revoked: log in again')
      return null
    }
    return this.deps.authorize(docName, this.credentials)
  }

  private refuse(channel: number, code: number, reason: string): void {
    this.sendFrame(encodeMuxControl({ type: 'closed', channel, code, reason }))
  }

  private end(code: number, reason: string): void {
    if (this.ended) return
    this.ws.close(code, reason)
    this.closed()
  }
}
