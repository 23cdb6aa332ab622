import type { SyncedTableName } from '../schema/inputs/app.js'
import type { Authorship, ContentAt, HistoryPage } from '../schema/wire/index.js'
import { type AuthorshipQuery, type ContentQuery, documentHistoryPath, type HistoryQuery } from './documentHistory.js'
import { type BackoffOptions, defaultBackoff } from './backoff.js'
import { Emitter } from './Emitter.js'
import { type CloseInfo, EventsSocket } from './EventsSocket.js'
import { type AccountInfo, type FetchFunction, HttpApi, type LoginResult, type Registration } from './HttpApi.js'
import { type OpenDoc, openDocProvider, type OpenDocOptions, setProviderToken } from './openDoc.js'
import type { Row, RowFilter } from './rowFilter.js'
import { joinRoomSocket, type RoomSocket } from './RoomSocket.js'
import { RpcError } from './RpcError.js'
import type { RpcArgs, RpcResult } from './rpcTypes.js'
import { type SubscribeOptions, type Subscription, Subscriptions } from './Subscriptions.js'
import { eventsUrl, httpBase, muxUrl, wsBase } from './urls.js'
import { platformWebSocket, type WebSocketConstructor } from './webSocket.js'
import { SessionRefresh } from './SessionRefresh.js'
import { docAccessEvent, type OfflineInfo, type PermissionDeniedInfo, type ReadOnlyInfo, type UnauthenticatedInfo } from './clientEvents.js'
import { Connectivity } from './Connectivity.js'
import { SharedDocSocket } from './mux/index.js'

export interface ClientOptions {
  /** The server's http(s) base URL, e.g. `http://localhost:3000`. */
  url: string
  /** A WebSocket implementation; `globalThis.WebSocket` by default (Node 20 has none: pass the `ws` package). */
  WebSocket?: WebSocketConstructor
  /** A fetch implementation; `globalThis.fetch` by default. */
  fetch?: FetchFunction
  /** A token from an earlier login, to resume that session. */
  token?: string | null
  /** Reconnect backoff of the events socket (full jitter; base 500 ms, max 30 s by default). */
  reconnect?: BackoffOptions
  /** How long a call over the events socket waits for its answer; default 10 s. */
  rpcTimeoutMs?: number
  /** Refresh the token before it expires (`POST /auth/refresh`); default true. Off, the session ends when the token does. */
  keepSessionAlive?: boolean
  /** Docs share one websocket (`/mux`); default true. False: one `/sync/<doc>` socket per doc, as stock y-websocket clients open. */
  multiplex?: boolean
}

export interface JoinRoomOptions {
  /** The name others see; signed-in users default to their account name, guests to "Guest". */
  displayName?: string
  /** A guest link token (`roomGuestLinkCreate`), to join without signing in. */
  guestToken?: string
  /** The `resumption` of an earlier RoomSocket of this room, to come back as the same participant. */
  resumption?: string
}

/** What the `disconnected` event carries. */
export type DisconnectInfo = CloseInfo & { willRetry: boolean }

/** A Folio client: auth, RPC, server pushes, live tables and Yjs documents. */
export interface FolioClient {
  /** The login token, or null when signed out. */
  readonly token: string | null
  /** Whether the events socket is open (calls then go over it instead of HTTP). */
  readonly connected: boolean
  /** Signs in, keeps the token, and opens the events socket. Rejects with an RpcError (status 401, 429, …). */
  /** Creates an account (`POST /auth/register`) and answers it; sign in with `login` after (where the server asks, once the e-mail is confirmed). */
  register(registration: Registration): Promise<AccountInfo>
  login(userName: string, password: string): Promise<LoginResult>
  /** Revokes the token on the server and ends the session here: socket closed, docs' providers destroyed, table rows cleared. */
  logout(): Promise<void>
  /** The signed-in user, from the server (`GET /auth/check`); rejects with status 401 when the token is not valid. */
  check(): Promise<AccountInfo>
  /** Calls an RPC event: over the events socket when it is open, else `POST /rpc/<event>`. Resolves the answer's data, typed by `rpcOutputs`. */
  rpc<E extends string>(event: E, ...args: RpcArgs<E>): Promise<RpcResult<E>>
  /** A page of a document's revisions (`GET /documents/:id/history`), with `authors`: their user names by id. */
  history(documentId: number, query?: HistoryQuery): Promise<HistoryPage>
  /** A document's content right after a seq, at a time, or now (`GET /documents/:id/content`). */
  contentAt(documentId: number, query?: ContentQuery): Promise<ContentAt>
  /** Who wrote each part of a document's text right after a seq, or now (`GET /documents/:id/authorship`). */
  authorship(documentId: number, query?: AuthorshipQuery): Promise<Authorship>
  /** The socket opened (first time and after every reconnect). */
  on(event: 'connected', listener: () => void): () => void
  /** The open socket closed. */
  on(event: 'disconnected', listener: (info: DisconnectInfo) => void): () => void
  /** The server refused the token (close code 4401; `doc` when one doc was closed for it); the client stops reconnecting until the next login. Once per session. */
  on(event: 'unauthenticated', listener: (info: UnauthenticatedInfo) => void): () => void
  /** The server refused a doc or withdrew access to it (4403); its provider stops reconnecting. */
  on(event: 'permission-denied', listener: (info: PermissionDeniedInfo) => void): () => void
  /** The server took write access to a doc away: later edits are not stored (lock the editor). */
  on(event: 'read-only', listener: (info: ReadOnlyInfo) => void): () => void
  /** The last open socket to the server (events, docs) closed. */
  on(event: 'offline', listener: (info: OfflineInfo) => void): () => void
  /** A socket to the server opened while none was. */
  on(event: 'online', listener: () => void): () => void
  /** A server push `{event, data}`. */
  on(event: string, listener: (data: unknown) => void): () => void
  /**
   * Subscribes to an auto-synced table: `onRows` gets the matching rows, merged by id, now and on
   * every change. Survives reconnects and re-logins; the returned function stops it.
   */
  subscribe(table: SyncedTableName, filter: RowFilter | null | undefined, onRows: (rows: Row[]) => void, options?: SubscribeOptions): Subscription
  /**
   * Joins a meeting room over `ws://host/signaling/<roomId>` with the current login token, or as a
   * guest with `guestToken` (a room guest link). Closed on logout and close.
   */
  joinRoom(roomId: string, options?: JoinRoomOptions): RoomSocket
  /** Opens a Yjs doc synced with the current token: over the client's one `/mux` socket, or `ws://host/sync/<name>` with `multiplex: false`. */
  openDoc(name: string, options?: OpenDocOptions): OpenDoc
  /** Resolves when the events socket is open; rejects after `timeoutMs`. */
  whenConnected(timeoutMs?: number): Promise<void>
  /** Drops the events socket and the docs' socket and reconnects them (as after a network change). */
  reconnect(): void
  /** Closes the socket and every doc provider; the client cannot be used afterwards. */
  close(): void
}

/** Creates a client for the Folio server at `options.url`. */
export function createClient(options: ClientOptions): FolioClient {
  return new Client(options)
}

class Client implements FolioClient {
  private currentToken: string | null
  private readonly refresher: SessionRefresh
  private closed = false
  private readonly emitter = new Emitter()
  private readonly http: HttpApi
  private readonly events: EventsSocket
  private readonly subscriptions: Subscriptions
  private readonly docs = new Set<OpenDoc>()
  private readonly rooms = new Set<RoomSocket>()
  private readonly wsUrl: string
  private readonly WebSocketImpl: WebSocketConstructor | undefined
  private readonly multiplex: boolean
  private readonly backoff: BackoffOptions
  /** The docs' shared socket, made by the first `openDoc` (multiplexed). */
  private docSocket: SharedDocSocket | null = null
  private readonly connectivity = new Connectivity(
    () => this.emitter.emit('online', undefined),
    (info) => this.emitter.emit('offline', info),
  )
  /** Whether `unauthenticated` was emitted since the last login: the events socket, the docs' socket and each doc may all hear the same 4401. */
  private toldUnauthenticated = false

  constructor(options: ClientOptions) {
    const baseUrl = httpBase(options.url)
    this.wsUrl = wsBase(baseUrl)
    this.currentToken = options.token ?? null
    this.WebSocketImpl = options.WebSocket ?? platformWebSocket()
    this.multiplex = options.multiplex ?? true
    this.backoff = { ...defaultBackoff, ...options.reconnect }
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis)
    if (!fetchImpl) throw new TypeError('createClient: this platform has no fetch; pass options.fetch')
    this.http = new HttpApi(baseUrl, fetchImpl, () => this.currentToken)
    this.events = new EventsSocket({
      url: () => (this.currentToken ? eventsUrl(this.wsUrl, this.currentToken) : null),
      WebSocket: this.WebSocketImpl,
      backoff: this.backoff,
      callTimeoutMs: options.rpcTimeoutMs ?? 10_000,
      onOpen: () => {
        this.subscriptions.connected()
        this.emitter.emit('connected', undefined)
        this.connectivity.opened('events')
      },
      onClose: (info) => {
        this.subscriptions.disconnected()
        this.emitter.emit('disconnected', info)
        this.connectivity.closed('events', info)
      },
      onUnauthenticated: (info) => this.unauthenticated(info),
      onPush: (event, data) => {
        this.subscriptions.handlePush(event, data)
        this.emitter.emit(event, data)
      },
    })
    this.subscriptions = new Subscriptions(this.events)
    this.refresher = new SessionRefresh(() => this.http.refresh(), options.keepSessionAlive ?? true)
    if (this.currentToken) {
      this.events.start()
      this.refresher.now()
    }
  }

  get token(): string | null {
    return this.currentToken
  }

  get connected(): boolean {
    return this.events.isOpen
  }

  async register(registration: Registration): Promise<AccountInfo> {
    this.assertOpen('auth/register')
    return (await this.http.register(registration)).user
  }

  async login(userName: string, password: string): Promise<LoginResult> {
    this.assertOpen('auth/login')
    const result = await this.http.login(userName, password)
    if (this.closed) return result
    this.currentToken = result.token
    this.toldUnauthenticated = false
    for (const { provider } of this.docs) setProviderToken(provider, result.token)
    // The docs' socket carries the old token too: its channels reconnect over a new one.
    this.docSocket?.reconnect()
    // A socket of an earlier session carries the old token: start over (subscriptions are restored).
    this.events.stop()
    this.events.start()
    this.refresher.start(result.expiresAt)
    return result
  }

  async logout(): Promise<void> {
    this.assertOpen('auth/logout')
    try {
      if (this.currentToken) await this.http.logout()
    } finally {
      this.currentToken = null
      this.refresher.stop()
      this.events.stop()
      this.subscriptions.clearRows()
      this.destroyProviders()
    }
  }

  async check(): Promise<AccountInfo> {
    this.assertOpen('auth/check')
    return (await this.http.check()).user
  }

  rpc<E extends string>(event: E, ...args: RpcArgs<E>): Promise<RpcResult<E>> {
    if (this.closed) return Promise.reject(closedError(event))
    const data: unknown = args[0]
    // The server's answer to `event`, whose shape rpcOutputs declares (checked against a real server in the tests).
    return (this.events.isOpen ? this.events.call(event, data) : this.http.rpc(event, data)) as Promise<RpcResult<E>>
  }

  history(documentId: number, query: HistoryQuery = {}): Promise<HistoryPage> {
    return this.getRoute(documentId, 'history', query) as Promise<HistoryPage>
  }

  contentAt(documentId: number, query: ContentQuery = {}): Promise<ContentAt> {
    return this.getRoute(documentId, 'content', query) as Promise<ContentAt>
  }

  authorship(documentId: number, query: AuthorshipQuery = {}): Promise<Authorship> {
    return this.getRoute(documentId, 'authorship', query) as Promise<Authorship>
  }

  private getRoute(documentId: number, route: 'history' | 'content' | 'authorship', query: object): Promise<unknown> {
    const what = `documents/${route}`
    if (this.closed) return Promise.reject(closedError(what))
    return this.http.get(documentHistoryPath(documentId, route, query), what)
  }

  on(event: string, listener: (data: any) => void): () => void {
    return this.emitter.on(event, listener)
  }

  subscribe(table: SyncedTableName, filter: RowFilter | null | undefined, onRows: (rows: Row[]) => void, options?: SubscribeOptions): Subscription {
    this.assertOpen('subscribeAppData')
    // Pushes arrive only on the events socket; without one a subscription would wait forever.
    if (!this.WebSocketImpl) throw missingWebSocketError()
    return this.subscriptions.add(table, filter, onRows, options)
  }

  joinRoom(roomId: string, options: JoinRoomOptions = {}): RoomSocket {
    this.assertOpen('joinRoom')
    if (!this.WebSocketImpl) throw missingWebSocketError()
    const token = options.guestToken ?? this.currentToken
    if (!token) throw new RpcError('joinRoom needs a login or a guest link token', 'joinRoom', 401, 'server')
    const room = joinRoomSocket(this.WebSocketImpl, this.wsUrl, roomId, token, options)
    this.rooms.add(room)
    room.on('closed', () => this.rooms.delete(room))
    return room
  }

  openDoc(name: string, options: OpenDocOptions = {}): OpenDoc {
    this.assertOpen('openDoc')
    if (!this.WebSocketImpl) throw missingWebSocketError()
    const WebSocket = this.multiplex ? this.sharedDocSocket(this.WebSocketImpl).ChannelSocket : this.WebSocketImpl
    const opened = openDocProvider(`${this.wsUrl}/sync`, name, this.currentToken, WebSocket, options)
    this.docs.add(opened)
    opened.onAccessChange((change) => {
      const [event, info] = docAccessEvent(name, change)
      if (event === 'unauthenticated') this.unauthenticated(info)
      else this.emitter.emit(event, info)
    })
    // y-websocket leaves its provider running when the doc is destroyed; stop it with the doc.
    opened.doc.once('destroy', () => {
      this.docs.delete(opened)
      opened.close()
    })
    return opened
  }

  whenConnected(timeoutMs = 10_000): Promise<void> {
    if (this.events.isOpen) return Promise.resolve()
    if (this.closed) return Promise.reject(closedError('whenConnected'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off()
        reject(new Error(`the events socket did not open within ${timeoutMs} ms`))
      }, timeoutMs)
      const off = this.emitter.on('connected', () => {
        clearTimeout(timer)
        off()
        resolve()
      })
    })
  }

  reconnect(): void {
    this.events.reconnect()
    this.docSocket?.reconnect()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.refresher.stop()
    this.events.stop()
    this.subscriptions.dispose()
    this.destroyProviders()
    this.emitter.clear()
  }

  /** The docs' shared socket (`/mux`), with the token current at each connection attempt. */
  private sharedDocSocket(WebSocket: WebSocketConstructor): SharedDocSocket {
    this.docSocket ??= new SharedDocSocket(`${this.wsUrl}/sync/`, {
      url: () => muxUrl(this.wsUrl, this.currentToken),
      WebSocket,
      backoff: this.backoff,
      onOpen: () => this.connectivity.opened('docs'),
      onClose: (info) => this.connectivity.closed('docs', info),
      onUnauthenticated: (info) => this.unauthenticated(info),
    })
    return this.docSocket
  }

  private unauthenticated(info: UnauthenticatedInfo): void {
    if (this.toldUnauthenticated) return
    this.toldUnauthenticated = true
    this.emitter.emit('unauthenticated', info)
  }

  /** Ends everything opened with the session: doc providers (and their shared socket) and rooms. */
  private destroyProviders(): void {
    for (const opened of [...this.docs]) opened.close()
    this.docs.clear()
    this.docSocket?.close()
    for (const room of [...this.rooms]) room.close()
    this.rooms.clear()
  }

  private assertOpen(what: string): void {
    if (this.closed) throw closedError(what)
  }
}

function closedError(event: string): RpcError {
  return new RpcError('the client is closed', event, undefined, 'closed')
}

function missingWebSocketError(): TypeError {
  return new TypeError('this platform has no WebSocket: pass createClient({ WebSocket }) (in Node 20, the `ws` package)')
}
