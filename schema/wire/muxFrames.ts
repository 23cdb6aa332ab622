import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The frames of `ws://host/mux`, one websocket carrying many documents. Every binary frame starts
 * with a varUint channel id. Channel 0 carries control messages; any other id carries one
 * y-websocket message of that channel's document, unchanged, in the rest of the frame. The client
 * picks the ids, increasing over the socket's life, so a frame for an id the server already
 * closed (in flight before the client heard of it) is told apart from one never opened.
 */
export const muxControlChannel = 0

/** Control message types (the varUint after channel 0). */
export const MuxControlType = {
  /** client -> server: varUint channel, varString doc name. */
  open: 0,
  /** client -> server: varUint channel; the client is done with it (no answer). */
  close: 1,
  /** server -> client: varUint channel; the doc was granted, its y-websocket messages may flow. */
  opened: 2,
  /** server -> client: varUint channel, varUint close code, varString reason; the channel is gone. */
  closed: 3,
} as const

export type MuxControl =
  | { type: 'open'; channel: number; docName: string }
  | { type: 'close'; channel: number }
  | { type: 'opened'; channel: number }
  | { type: 'closed'; channel: number; code: number; reason: string }

/** A decoded frame: a control message, or one y-websocket message of a channel. */
export type MuxFrame = { kind: 'control'; control: MuxControl } | { kind: 'data'; channel: number; message: Uint8Array }

/** A frame that does not follow the envelope: truncated, an unknown control type, trailing bytes. */
export class MuxFrameError extends Error {
  constructor(message: string) {
    super(`malformed mux frame: ${message}`)
    this.name = 'MuxFrameError'
  }
}

export function encodeMuxData(channel: number, message: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, channel)
  encoding.writeUint8Array(encoder, message)
  return encoding.toUint8Array(encoder)
}

export function encodeMuxControl(control: MuxControl): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, muxControlChannel)
  encoding.writeVarUint(encoder, MuxControlType[control.type])
  encoding.writeVarUint(encoder, control.channel)
  if (control.type === 'open') encoding.writeVarString(encoder, control.docName)
  if (control.type === 'closed') {
    encoding.writeVarUint(encoder, control.code)
    encoding.writeVarString(encoder, control.reason)
  }
  return encoding.toUint8Array(encoder)
}

/** Decodes one frame; throws MuxFrameError when it does not follow the envelope. */
export function decodeMuxFrame(frame: Uint8Array): MuxFrame {
  const decoder = decoding.createDecoder(frame)
  const channel = readOrReject(() => decoding.readVarUint(decoder), 'no channel id')
  if (channel !== muxControlChannel) return { kind: 'data', channel, message: frame.subarray(decoder.pos) }
  const type = readOrReject(() => decoding.readVarUint(decoder), 'control frame without a type')
  const id = readOrReject(() => decoding.readVarUint(decoder), 'control frame without a channel id')
  if (id === muxControlChannel) throw new MuxFrameError('channel 0 is the control channel; documents use ids from 1')
  let control: MuxControl
  switch (type) {
    case MuxControlType.open:
      control = { type: 'open', channel: id, docName: readOrReject(() => decoding.readVarString(decoder), 'open without a document name') }
      break
    case MuxControlType.close:
      control = { type: 'close', channel: id }
      break
    case MuxControlType.opened:
      control = { type: 'opened', channel: id }
      break
    case MuxControlType.closed: {
      const code = readOrReject(() => decoding.readVarUint(decoder), 'closed without a code')
      control = { type: 'closed', channel: id, code, reason: readOrReject(() => decoding.readVarString(decoder), 'closed without a reason') }
      break
    }
    default:
      throw new MuxFrameError(`unknown control type ${type}`)
  }
  if (decoding.hasContent(decoder)) throw new MuxFrameError('trailing bytes after a control message')
  return { kind: 'control', control }
}

function readOrReject<T>(read: () => T, what: string): T {
  try {
    return read()
  } catch {
    // lib0 throws plain errors for truncated input and malformed UTF-8.
    throw new MuxFrameError(what)
  }
}
