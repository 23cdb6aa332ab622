import * as encoding from 'lib0/encoding'
import { FolioMessageType } from '../../schema/wire/index.js'

/** A Folio timed update: a local update and when it was made, so the server stores its typing time (`FolioMessageType.timedUpdate`). */
export function encodeTimedUpdate(typedAt: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, FolioMessageType.timedUpdate)
  encoding.writeVarUint(encoder, typedAt)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}
