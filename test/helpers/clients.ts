import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A stock y-websocket provider, as a browser would open it (BroadcastChannel off: each test client must go through the server). */
export function openProvider(
  serverUrl: string,
  docName: string,
  options: { doc?: Y.Doc; params?: Record<string, string>; connect?: boolean } = {},
): WebsocketProvider {
  return new WebsocketProvider(serverUrl, docName, options.doc ?? new Y.Doc(), {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.params ?? {},
    connect: options.connect ?? true,
    disableBc: true,
  })
}

/** Opens a provider and waits until it has synced with the server. */
export async function syncedProvider(
  serverUrl: string,
  docName: string,
  options: { doc?: Y.Doc; params?: Record<string, string> } = {},
): Promise<WebsocketProvider> {
  const provider = openProvider(serverUrl, docName, options)
  await waitFor(`${docName} to sync`, () => provider.synced)
  return provider
}

/** Disconnects providers and destroys their docs. */
export function closeProviders(...providers: WebsocketProvider[]): void {
  for (const provider of providers) {
    provider.destroy()
    provider.doc.destroy()
  }
}

/** A raw websocket that records every frame and how it closed. */
export interface RawClient {
  ws: WebSocket
  frames: Uint8Array[]
  closed: Promise<{ code: number; reason: string }>
  /** Resolves once the connection is open. */
  opened: Promise<void>
}

export function openRaw(url: string): RawClient {
  const ws = new WebSocket(url)
  const frames: Uint8Array[] = []
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  ws.on('error', () => {})
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', () => reject(new Error('closed before opening')))
  })
  return { ws, frames, closed, opened }
}

/** The outer message type and, for sync and auth messages, the sub-type of a frame. */
export function frameKind(frame: Uint8Array): { type: number; subtype: number | null; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(frame)
  const type = decoding.readVarUint(decoder)
  const subtype = type === 0 || type === 2 ? decoding.readVarUint(decoder) : null
  return { type, subtype, decoder }
}
