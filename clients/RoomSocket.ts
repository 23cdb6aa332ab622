import type { RoomCommand } from '../schema/inputs/rooms.js'
import type { RoomEvent, RoomParticipant } from '../schema/wire/index.js'
import { Emitter } from './Emitter.js'
import type { CloseInfo } from './EventsSocket.js'
import { socketOpen, type WebSocketConstructor, type WebSocketLike } from './webSocket.js'

/** The pad link the server sent this participant last, and what it grants. */
export interface PadLink {
  url: string
  access: 'write' | 'read'
}

/**
 * A joined meeting room (`ws://host/signaling/<roomId>`): the participant list kept up to date
 * from `join_success`, `joined`, `update` and `left`, this participant's pad link, and the
 * moderator commands. It does not reconnect by itself: join again after `closed`, with
 * `resumption` to come back as the same participant (role and pad access kept).
 */
export class RoomSocket {
  private readonly emitter = new Emitter()
  private readonly members = new Map<string, RoomParticipant>()
  private self: { id: string; role: string; resumption: string } | null = null
  private padLink: PadLink | null = null
  private readonly joined: Promise<void>

  constructor(
    readonly roomId: string,
    private readonly ws: WebSocketLike,
    join: { displayName?: string; resumption?: string },
  ) {
    this.joined = new Promise<void>((resolve, reject) => {
      ws.onopen = () => this.send('control', { action: 'join', display_name: join.displayName, resumption: join.resumption })
      ws.onmessage = (event: { data: unknown }) => {
        if (typeof event.data === 'string') this.receive(event.data, resolve, reject)
      }
      ws.onerror = () => {}
      ws.onclose = (event: { code?: number; reason?: string }) => {
        const info: CloseInfo = { code: event.code ?? 1006, reason: event.reason ?? '' }
        reject(new Error(`the room closed before joining: ${info.code} ${info.reason}`))
        this.emitter.emit('closed', info)
      }
    })
    // A failed join is reported through `whenJoined` and `closed`; nobody has to await it.
    this.joined.catch(() => {})
  }

  /** This participant's id, once joined. */
  get participantId(): string | null {
    return this.self?.id ?? null
  }

  /** The token to come back as the same participant after the socket closed (`joinRoom(roomId, { resumption })`). */
  get resumption(): string | null {
    return this.self?.resumption ?? null
  }

  /** This participant's role, once joined. */
  get role(): string | null {
    return this.self?.role ?? null
  }

  /** Everyone else in the room. */
  get participants(): ReadonlyMap<string, RoomParticipant> {
    return this.members
  }

  /** The last pad link this participant was sent (`write_url` / `read_url`), or null. */
  get pad(): PadLink | null {
    return this.padLink
  }

  /** Resolves once `join_success` arrived; rejects if the socket closes first or after `timeoutMs`. */
  whenJoined(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not joined within ${timeoutMs} ms`)), timeoutMs)
      this.joined.then(
        () => (clearTimeout(timer), resolve()),
        (error: unknown) => (clearTimeout(timer), reject(error)),
      )
    })
  }

  /** The socket closed; join again to come back. */
  on(message: 'closed', listener: (info: CloseInfo) => void): () => void
  /** A server event by its `message` (`joined`, `write_url`, `pdf_asset`, `error`, …); the returned function unsubscribes. */
  on(message: string, listener: (event: RoomEvent) => void): () => void
  on(message: string, listener: ((info: CloseInfo) => void) | ((event: RoomEvent) => void)): () => void {
    return this.emitter.on(message, listener as (data: unknown) => void)
  }

  /** Gives the participants write access to the pad (moderators; the first selection creates the pad). */
  selectWriters(participantIds: string[]): void {
    this.send('protocol', { action: 'select_writer', participant_ids: participantIds })
  }

  /** Takes write access away; they get read links. */
  deselectWriters(participantIds: string[]): void {
    this.send('protocol', { action: 'deselect_writer', participant_ids: participantIds })
  }

  /** Renders the pad to PDF; everyone gets `pdf_asset {filename, asset_id}` (download: `GET /assets/<asset_id>`). */
  generatePdf(): void {
    this.send('protocol', { action: 'generate_pdf' })
  }

  grantModerator(participantId: string): void {
    this.send('control', { action: 'grant_moderator_role', target: participantId })
  }

  revokeModerator(participantId: string): void {
    this.send('control', { action: 'revoke_moderator_role', target: participantId })
  }

  /** Sends any command `{namespace, payload}`; dropped when the socket is not open. */
  send(namespace: string, payload: RoomCommand['payload']): void {
    const command: RoomCommand = { namespace, payload }
    if (this.ws.readyState === socketOpen) this.ws.send(JSON.stringify(command))
  }

  /** Leaves the room. */
  close(): void {
    this.ws.close(1000, 'left by the client')
  }

  private receive(text: string, joined: () => void, refused: (error: Error) => void): void {
    let event: RoomEvent
    try {
      event = JSON.parse(text) as RoomEvent
    } catch {
      return
    }
    const { payload } = event
    if (typeof payload?.message !== 'string') return
    switch (payload.message) {
      case 'join_success':
        this.self = { id: String(payload.id), role: String(payload.role), resumption: String(payload.resumption) }
        this.members.clear()
        for (const participant of (payload.participants as RoomParticipant[] | undefined) ?? []) this.members.set(participant.id, participant)
        joined()
        break
      case 'joined':
      case 'update':
        if (event.namespace === 'control') this.members.set(String(payload.id), payload as unknown as RoomParticipant)
        break
      case 'left':
        this.members.delete(String(payload.id))
        break
      case 'error':
      case 'rate_limit_exceeded':
        // Before join_success, a control answer means the join itself failed (a promise settles once).
        if (!this.self && event.namespace === 'control') refused(new Error(`the join was refused: ${String(payload.error ?? payload.message)}`))
        break
      case 'role_updated':
        if (this.self) this.self.role = String(payload.new_role)
        break
      case 'write_url':
      case 'read_url':
        this.padLink = { url: String(payload.url), access: payload.message === 'write_url' ? 'write' : 'read' }
        break
    }
    this.emitter.emit(payload.message, event)
  }
}

/** Opens a room's signaling socket with a login or guest link token and joins it. */
export function joinRoomSocket(WebSocketImpl: WebSocketConstructor, wsBaseUrl: string, roomId: string, token: string, join: { displayName?: string; resumption?: string }): RoomSocket {
  const ws = new WebSocketImpl(`${wsBaseUrl}/signaling/${encodeURIComponent(roomId)}?token=${encodeURIComponent(token)}`)
  return new RoomSocket(roomId, ws, join)
}
