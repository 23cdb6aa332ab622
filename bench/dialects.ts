import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * How a server frames y-websocket messages on the socket. Folio and @y/websocket-server send
 * them bare, one document per socket. Hocuspocus multiplexes documents: every frame starts with
 * the document name, a socket must authenticate a document before anything else is handled, and
 * it adds message types of its own (acks, a close of one document).
 */
export interface Dialect {
  /** Frames to send as soon as the socket opens, before any sync message. */
  greeting(docName: string): Uint8Array[]
  /** The socket frame carrying y-websocket message `message` for `docName`. */
  wrap(docName: string, message: Uint8Array): Uint8Array
  /** What a received frame is to a y-websocket client. */
  unwrap(frame: Uint8Array): Received
}

export type Received =
  /** A y-websocket message (sync, awareness, auth), as a stock server would have sent it. */
  | { kind: 'message'; message: Uint8Array }
  /** The server ended the document's session without closing the socket. */
  | { kind: 'closed'; reason: string }
  /** Bookkeeping of the dialect's own that a y-websocket client has no use for. */
  | { kind: 'ignored' }

export type DialectName = 'y-websocket' | 'hocuspocus'

const yWebsocket: Dialect = {
  greeting: () => [],
  wrap: (_docName, message) => message,
  unwrap: (frame) => ({ kind: 'message', message: frame }),
}

/** Hocuspocus 3 message types (@hocuspocus/server src/types.ts) that differ from y-websocket's. */
const hocuspocusType = { auth: 2, syncReply: 4, close: 7, syncStatus: 8 } as const
/** `AuthMessageType` of @hocuspocus/common. */
const authMessage = { token: 0, permissionDenied: 1 } as const

const hocuspocus: Dialect = {
  // A server without an onAuthenticate hook accepts any token, but it waits for one.
  greeting: (docName) => [prefixed(docName, (encoder) => {
    encoding.writeVarUint(encoder, hocuspocusType.auth)
    encoding.writeVarUint(encoder, authMessage.token)
    encoding.writeVarString(encoder, '')
  })],
  wrap: (docName, message) => prefixed(docName, (encoder) => encoding.writeUint8Array(encoder, message)),
  unwrap(frame) {
    const decoder = decoding.createDecoder(frame)
    decoding.readVarString(decoder)
    const start = decoder.pos
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case hocuspocusType.auth:
        if (decoding.readVarUint(decoder) !== authMessage.permissionDenied) return { kind: 'ignored' }
        return { kind: 'closed', reason: `permission denied: ${decoding.readVarString(decoder)}` }
      case hocuspocusType.syncStatus:
        return { kind: 'ignored' }
      case hocuspocusType.close:
        return { kind: 'closed', reason: decoding.readVarString(decoder) }
      case hocuspocusType.syncReply: {
        // A sync message that asks for no sync step 1 in return: the same thing to a client.
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, 0)
        encoding.writeUint8Array(encoder, frame.subarray(decoder.pos))
        return { kind: 'message', message: encoding.toUint8Array(encoder) }
      }
      default:
        return { kind: 'message', message: frame.subarray(start) }
    }
  },
}

function prefixed(docName: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, docName)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export const dialects: Record<DialectName, Dialect> = { 'y-websocket': yWebsocket, hocuspocus }
