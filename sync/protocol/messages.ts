import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as authProtocol from 'y-protocols/auth'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { FolioMessageType } from '../../schema/index.js'
import { CloseCode, ProtocolError } from '../errors.js'
import { encodeIntegratedState } from '../storedState.js'
import { measureUpdate, type UpdateCost } from './updateCost.js'

/** Outer message types of the y-websocket protocol (first varUint of every frame). */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const

/** A frame from a client, decoded and checked as far as it can be without applying it. */
export type ClientMessage =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  /** `typedAt`: when the client says it typed the update (a Folio timed update), unchecked; null from a sync frame. */
  | { kind: 'update'; update: Uint8Array; cost: UpdateCost; typedAt: number | null }
  | { kind: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { kind: 'queryAwareness' }

/** One client's entry of an awareness update; `state` null means the client left. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  state: unknown
}

/**
 * Decodes one binary frame. Throws ProtocolError for truncated or trailing bytes, unknown types,
 * payloads Yjs cannot decode and updates holding more than `maxUpdateStructs` structs and delete ranges.
 */
export function decodeClientMessage(frame: Uint8Array, maxUpdateStructs: number): ClientMessage {
  const decoder = decoding.createDecoder(frame)
  const message = readOrReject(() => readClientMessage(decoder, maxUpdateStructs))
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(CloseCode.protocolError, 'malformed message: trailing bytes after the payload')
  }
  return message
}

function readClientMessage(decoder: decoding.Decoder, maxUpdateStructs: number): ClientMessage {
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case MessageType.sync:
      return readSyncMessage(decoder, maxUpdateStructs)
    case MessageType.awareness: {
      const update = decoding.readVarUint8Array(decoder)
      return { kind: 'awareness', update, entries: decodeAwarenessUpdate(update) }
    }
    case MessageType.queryAwareness:
      return { kind: 'queryAwareness' }
    case FolioMessageType.timedUpdate: {
      const typedAt = decoding.readVarUint(decoder)
      const update = decoding.readVarUint8Array(decoder)
      return { kind: 'update', update, cost: measureUpdate(update, maxUpdateStructs), typedAt }
    }
    case MessageType.auth:
      throw new ProtocolError(CloseCode.unsupportedData, 'auth messages are only sent by the server')
    default:
      throw new ProtocolError(CloseCode.unsupportedData, `unknown message type ${type}`)
  }
}

function readSyncMessage(decoder: decoding.Decoder, maxUpdateStructs: number): ClientMessage {
  const syncType = decoding.readVarUint(decoder)
  const payload = decoding.readVarUint8Array(decoder)
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1:
      rejectUndecodable(() => Y.decodeStateVector(payload), 'invalid state vector in sync step 1')
      return { kind: 'syncStep1', stateVector: payload }
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate:
      return { kind: 'update', update: payload, cost: measureUpdate(payload, maxUpdateStructs), typedAt: null }
    default:
      throw new ProtocolError(CloseCode.unsupportedData, `unknown sync message type ${syncType}`)
  }
}

function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  return rejectUndecodable(() => {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    const entries: AwarenessEntry[] = []
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state: unknown = JSON.parse(decoding.readVarString(decoder))
      entries.push({ clientId, clock, state })
    }
    return entries
  }, 'awareness update that cannot be decoded')
}

function readOrReject<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError(CloseCode.protocolError, 'malformed message: truncated or garbage frame')
  }
}

function rejectUndecodable<T>(decode: () => T, what: string): T {
  try {
    return decode()
  } catch {
    throw new ProtocolError(CloseCode.invalidPayload, `invalid payload: ${what}`)
  }
}

/** Sync step 1 carrying the server's state vector. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return encodeWith(MessageType.sync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc))
}

/** Sync step 2: what `doc` has integrated that a peer with `stateVector` lacks. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return encodeWith(MessageType.sync, (encoder) => {
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
    encoding.writeVarUint8Array(encoder, encodeIntegratedState(doc, stateVector))
  })
}

/** An incremental document update. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return encodeWith(MessageType.sync, (encoder) => syncProtocol.writeUpdate(encoder, update))
}

/** An awareness update holding just `entries` (the inverse of the decoding above). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return encoding.toUint8Array(encoder)
}

/** An awareness message wrapping an already encoded awareness update. */
export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return encodeWith(MessageType.awareness, (encoder) => encoding.writeVarUint8Array(encoder, awarenessUpdate))
}

/** Auth permission-denied, which stock y-websocket clients report through their permission-denied handler. */
export function encodePermissionDenied(reason: string): Uint8Array {
  return encodeWith(MessageType.auth, (encoder) => authProtocol.writePermissionDenied(encoder, reason))
}

function encodeWith(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}
