import { CloseCode, type Logger } from '../../sync/index.js'

/** A websocket, or one document channel of a multiplexed one: counted until it closes. */
export interface CountedSocket {
  close(code: number, reason: string): void
  once(event: 'close', listener: () => void): unknown
}

export interface UserSocketLimits {
  maxSocketsPerUser: number
  maxDocsPerUser: number
}

interface OpenSockets {
  count: number
  /** Open sync sockets per document name. */
  docs: Map<string, number>
}

/**
 * The websockets each account has open over the sync, events and signaling endpoints, and the
 * documents it has open over sync, so one account cannot hold the server's sockets or memory. A
 * second socket on a document the account already has open costs a socket, not a document.
 */
export class UserSockets {
  private readonly open = new Map<string, OpenSockets>()

  constructor(
    private readonly limits: UserSocketLimits,
    private readonly log: Logger,
  ) {}

  /**
   * Counts `ws` for `userId` (on `docName`, for sync) until it closes; when that would pass a limit,
   * closes it with 4429 and a reason instead and returns false.
   */
  admit(ws: CountedSocket, userId: string, docName?: string): boolean {
    return this.count(ws, userId, { socket: true, docName })
  }

  /**
   * Counts one document channel of a multiplexed socket (admitted itself with `admit`): it costs a
   * document, not a socket. Past the limit, closes the channel with 4429 and returns false.
   */
  admitChannel(channel: CountedSocket, userId: string, docName: string): boolean {
    return this.count(channel, userId, { socket: false, docName })
  }

  private count(ws: CountedSocket, userId: string, what: { socket: boolean; docName: string | undefined }): boolean {
    const open = this.open.get(userId) ?? { count: 0, docs: new Map<string, number>() }
    const refusal = this.refusal(open, what)
    if (refusal) {
      this.log.info('ws.too_many_connections', { userId, refusal })
      ws.close(CloseCode.tooManyRequests, refusal)
      return false
    }
    const { socket, docName } = what
    if (socket) open.count++
    if (docName !== undefined) open.docs.set(docName, (open.docs.get(docName) ?? 0) + 1)
    this.open.set(userId, open)
    ws.once('close', () => this.release(userId, what))
    return true
  }

  private refusal(open: OpenSockets, { socket, docName }: { socket: boolean; docName: string | undefined }): string | null {
    const { maxSocketsPerUser, maxDocsPerUser } = this.limits
    if (socket && open.count >= maxSocketsPerUser) return `too many connections: at most ${maxSocketsPerUser} open websockets per account`
    if (docName !== undefined && !open.docs.has(docName) && open.docs.size >= maxDocsPerUser) {
      return `too many documents open: at most ${maxDocsPerUser} per account`
    }
    return null
  }

  private release(userId: string, { socket, docName }: { socket: boolean; docName: string | undefined }): void {
    const open = this.open.get(userId)
    if (!open) return
    if (socket) open.count--
    if (docName !== undefined) {
      const sockets = (open.docs.get(docName) ?? 1) - 1
      if (sockets > 0) open.docs.set(docName, sockets)
      else open.docs.delete(docName)
    }
    if (open.count === 0 && open.docs.size === 0) this.open.delete(userId)
  }
}
