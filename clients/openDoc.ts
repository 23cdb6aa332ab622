import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { type DocAccessChange, watchDocAccess } from './docAccess.js'
import { Emitter } from './Emitter.js'
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
}

/** A stock y-websocket provider for `ws://host/sync/<name>`, authorized with `?token=`. */
export function openDocProvider(syncUrl: string, name: string, token: string | null, WebSocket: WebSocketConstructor, options: OpenDocOptions = {}): OpenDoc {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, name, doc, {
    connect: options.connect ?? true,
    params: token ? { token } : {},
    // y-websocket declares the DOM constructor type; any implementation of the same API works.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    ...(options.awareness ? { awareness: options.awareness } : {}),
    ...(options.disableBc !== undefined ? { disableBc: options.disableBc } : {}),
    ...(options.maxBackoffTime !== undefined ? { maxBackoffTime: options.maxBackoffTime } : {}),
  })
  const accessChanges = new Emitter()
  watchDocAccess(provider, (change) => accessChanges.emit('change', change))
  return { doc, provider, onAccessChange: (listener) => accessChanges.on('change', (change) => listener(change as DocAccessChange)) }
}

/** Points the provider's next connections at `token` (after a new login). */
export function setProviderToken(provider: WebsocketProvider, token: string | null): void {
  const { token: _old, ...rest } = provider.params
  provider.params = token ? { ...rest, token } : rest
}
