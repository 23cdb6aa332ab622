import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { type DocAccessChange, watchDocAccess } from './docAccess.js'
import { Emitter } from './Emitter.js'
import { type ReplicaStore, type StoredReplica, ReplicaSync } from './replica/index.js'
import type { WebSocketConstructor } from './webSocket.js'

export interface OpenDocOptions {
  /** The doc to sync; a new one by default. */
  doc?: Y.Doc
  /** Connect at once (default true). */
  connect?: boolean
  awareness?: Awareness
  /** Turn off y-websocket's cross-tab BroadcastChannel sync (default on, as in y-websocket). */
  disableBc?: boolean
  /** Longest wait between the provider's own reconnect attempts, in ms. */
  maxBackoffTime?: number
  /**
   * Keeps the doc in a local replica store (`openSqliteReplicaStore` in Node, `indexeddbReplicaStore`
   * in browsers): the doc starts from its last stored state, online or not, and local edits stay
   * stored until the server has stored them.
   */
  store?: ReplicaStore
}

export interface OpenDoc {
  doc: Y.Doc
  provider: WebsocketProvider
  /**
   * Hears when the server narrows this doc's access on the open socket: `read` (edits are no
   * longer stored: lock the editor) or `none` (closed with 4403/4401; the provider stops
   * reconnecting). The returned function stops listening.
   */
  onAccessChange(listener: (change: DocAccessChange) => void): () => void
  /** Resolves once the doc holds its stored replica (at once without a store, or with the SQLite one). */
  whenLoaded: Promise<void>
  /** Local updates the server has not acknowledged yet (0 without a store). */
  unacknowledged(): number
  /** Resolves once the server has stored every local update made so far (at once without a store). */
  whenAcknowledged(): Promise<void>
  /** Stops syncing: destroys the provider and lets go of the replica (the doc and the store stay usable). */
  close(): void
}

/** A stock y-websocket provider for `ws://host/sync/<name>`, authorized with `?token=`; with a store, from its local replica. */
export function openDocProvider(syncUrl: string, name: string, token: string | null, WebSocket: WebSocketConstructor, options: OpenDocOptions = {}): OpenDoc {
  const doc = options.doc ?? new Y.Doc()
  const connect = options.connect ?? true
  const provider = new WebsocketProvider(syncUrl, name, doc, {
    // With a store, the replica goes into the doc first, so the first sync already carries it.
    connect: connect && !options.store,
    params: token ? { token } : {},
    // y-websocket declares the DOM constructor type; any implementation of the same API works.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    ...(options.awareness ? { awareness: options.awareness } : {}),
    ...(options.disableBc !== undefined ? { disableBc: options.disableBc } : {}),
    ...(options.maxBackoffTime !== undefined ? { maxBackoffTime: options.maxBackoffTime } : {}),
  })
  const accessChanges = new Emitter()
  watchDocAccess(provider, (change) => accessChanges.emit('change', change))
  const replica = options.store ? keepReplica(options.store, name, doc, provider, connect) : null
  return {
    doc,
    provider,
    onAccessChange: (listener) => accessChanges.on('change', (change) => listener(change as DocAccessChange)),
    whenLoaded: replica?.loaded.then(() => undefined) ?? Promise.resolve(),
    unacknowledged: () => replica?.current()?.unacknowledged ?? 0,
    whenAcknowledged: () => replica?.loaded.then((sync) => sync.whenAcknowledged()) ?? Promise.resolve(),
    close: () => {
      provider.destroy()
      // An awareness the provider made checks its peers on an interval until destroyed, which
      // keeps a Node process alive after the shell is done; one the caller passed is theirs.
      if (!options.awareness) provider.awareness.destroy()
      // At once where it is bound already, so the caller may close the store right after.
      replica?.current()?.close()
      void replica?.loaded.then((sync) => sync.close())
    },
  }
}

/** A doc's replica binding: there at once where the store opens synchronously (SQLite). */
interface KeptReplica {
  current(): ReplicaSync | null
  loaded: Promise<ReplicaSync>
}

/** Binds `doc` to its replica in `store`, then connects the provider. */
function keepReplica(store: ReplicaStore, name: string, doc: Y.Doc, provider: WebsocketProvider, connect: boolean): KeptReplica {
  let sync: ReplicaSync | null = null
  const bind = (replica: StoredReplica, earlier?: readonly { update: Uint8Array; typedAt: number }[]): ReplicaSync => {
    const bound = new ReplicaSync(doc, provider, replica, earlier)
    if (connect) provider.connect()
    sync = bound
    return bound
  }
  const opened = store.open(name)
  if (!(opened instanceof Promise)) return { current: () => sync, loaded: Promise.resolve(bind(opened)) }
  // Edits made while the store opens are local (nothing is connected yet): kept and stored once it is open.
  const earlier: { update: Uint8Array; typedAt: number }[] = []
  const collect = (update: Uint8Array): void => void earlier.push({ update, typedAt: Date.now() })
  doc.on('update', collect)
  const loaded = opened.then((replica) => {
    doc.off('update', collect)
    return bind(replica, earlier)
  })
  return { current: () => sync, loaded }
}

/** Points the provider's next connections at `token` (after a new login). */
export function setProviderToken(provider: WebsocketProvider, token: string | null): void {
  const { token: _old, ...rest } = provider.params
  provider.params = token ? { ...rest, token } : rest
}
