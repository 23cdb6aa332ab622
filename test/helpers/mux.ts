import WebSocket from 'ws'
import { decodeMuxFrame, encodeMuxControl, encodeMuxData } from '../../schema/index.js'

/** A raw `/mux` websocket that records each channel's messages and closes, and the socket's own close. */
export interface RawMux {
  ws: WebSocket
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  /** y-websocket messages the server sent on each channel. */
  messages(channel: number): Uint8Array[]
  /** Channels the server announced as opened. */
  readonly openedChannels: Set<number>
  /** The server's `closed` control messages, by channel. */
  readonly channelCloses: Map<number, { code: number; reason: string }>
  open(channel: number, docName: string): void
  close(channel: number): void
  send(channel: number, message: Uint8Array): void
}

export function openRawMux(url: string): RawMux {
  const ws = new WebSocket(url)
  const byChannel = new Map<number, Uint8Array[]>()
  const openedChannels = new Set<number>()
  const channelCloses = new Map<number, { code: number; reason: string }>()
  ws.on('error', () => {})
  ws.on('message', (data: Buffer) => {
    const frame = decodeMuxFrame(new Uint8Array(data))
    if (frame.kind === 'data') {
      const list = byChannel.get(frame.channel) ?? []
      list.push(frame.message.slice())
      byChannel.set(frame.channel, list)
    } else if (frame.control.type === 'opened') openedChannels.add(frame.control.channel)
    else if (frame.control.type === 'closed') channelCloses.set(frame.control.channel, { code: frame.control.code, reason: frame.control.reason })
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', () => reject(new Error('closed before opening')))
  })
  return {
    ws,
    opened,
    closed,
    messages: (channel) => byChannel.get(channel) ?? [],
    openedChannels,
    channelCloses,
    open: (channel, docName) => ws.send(encodeMuxControl({ type: 'open', channel, docName })),
    close: (channel) => ws.send(encodeMuxControl({ type: 'close', channel })),
    send: (channel, message) => ws.send(encodeMuxData(channel, message)),
  }
}

/** `ws://…/mux?token=…` of a test server. */
export function muxUrl(server: { url: string }, token?: string): string {
  return `${server.url.replace(/^http/, 'ws')}/mux${token ? `?token=${encodeURIComponent(token)}` : ''}`
}
