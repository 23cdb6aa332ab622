import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { CloseCode, ProtocolError } from '../errors.js'

/** The clock a client's structs start at in one update. */
export interface ClientStart {
  client: number
  clock: number
}

/** What applying an update costs, in the units the engine budgets (structs plus delete ranges), and where each client's structs start. */
export interface UpdateCost {
  structs: number
  deleteRanges: number
  starts: ClientStart[]
}

/** Item info bits (Yjs' V1 struct encoding). */
const hasOrigin = 0b1000_0000
const hasRightOrigin = 0b0100_0000
const hasParentSub = 0b0010_0000
const contentRef = 0b0001_1111
const gcRef = 0
const skipRef = 10
const typeRefsWithKey = new Set([3, 5]) // YXmlElement (node name) and YXmlHook (hook name)

/**
 * Reads a V1 update the way Yjs does, with Yjs' own decoder but without building any struct, and
 * stops as soon as its cost passes `maxCost`: checking a 15 MB frame of 900k tiny entries costs
 * what `maxCost` structs cost, not what the frame would. Also refuses a struct that refers to its
 * own client at a clock it does not follow (Yjs would throw part-way through applying it).
 * Throws ProtocolError: 4413 over the limit, 1007 for bytes that are not an update.
 */
export function measureUpdate(update: Uint8Array, maxCost: number): UpdateCost {
  const decoder = new Y.UpdateDecoderV1(decoding.createDecoder(update))
  const rest = decoder.restDecoder
  const cost: UpdateCost = { structs: 0, deleteRanges: 0, starts: [] }
  const charge = (units: number): void => {
    if (cost.structs + cost.deleteRanges + units > maxCost) {
      throw new ProtocolError(CloseCode.updateTooLarge, `update too large: it holds more than ${maxCost} structs and delete ranges; send it in smaller updates`)
    }
  }
  try {
    const clients = decoding.readVarUint(rest)
    for (let c = 0; c < clients; c++) {
      const structs = decoding.readVarUint(rest)
      charge(structs)
      cost.structs += structs
      const client = decoder.readClient()
      let clock = decoding.readVarUint(rest)
      cost.starts.push({ client, clock })
      for (let s = 0; s < structs; s++) clock += skipStruct(decoder, client, clock)
    }
    const deleteClients = decoding.readVarUint(rest)
    for (let c = 0; c < deleteClients; c++) {
      decoder.resetDsCurVal()
      decoding.readVarUint(rest)
      const ranges = decoding.readVarUint(rest)
      charge(ranges)
      cost.deleteRanges += ranges
      for (let r = 0; r < ranges; r++) {
        decoder.readDsClock()
        decoder.readDsLen()
      }
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError(CloseCode.invalidPayload, 'invalid payload: sync update that Yjs cannot decode')
  }
  if (decoding.hasContent(rest)) throw new ProtocolError(CloseCode.invalidPayload, 'invalid payload: trailing bytes after the sync update')
  return cost
}

/** Reads one struct and returns its length in clock units. */
function skipStruct(decoder: Y.UpdateDecoderV1, client: number, clock: number): number {
  const info = decoder.readInfo()
  const ref = info & contentRef
  if (ref === gcRef) return decoder.readLen()
  if (ref === skipRef) return decoding.readVarUint(decoder.restDecoder)
  if (info & hasOrigin) checkEarlier(decoder.readLeftID(), client, clock)
  if (info & hasRightOrigin) checkEarlier(decoder.readRightID(), client, clock)
  if ((info & (hasOrigin | hasRightOrigin)) === 0) {
    if (decoder.readParentInfo()) decoder.readString()
    else checkEarlier(decoder.readLeftID(), client, clock)
    if (info & hasParentSub) decoder.readString()
  }
  return skipContent(decoder, ref)
}

/** A struct can only refer to structs of its own client that come before it. */
function checkEarlier(id: Y.ID, client: number, clock: number): void {
  if (id.client === client && id.clock >= clock) {
    throw new ProtocolError(CloseCode.invalidPayload, 'invalid payload: a struct refers to a later struct of its own client')
  }
}

/** Reads an item's content (Yjs' contentRefs 1-9) and returns its length. */
function skipContent(decoder: Y.UpdateDecoderV1, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoder.readLen()
    case 2: // JSON
    case 8: {
      // any
      const length = decoder.readLen()
      for (let i = 0; i < length; i++) {
        if (ref === 2) decoder.readString()
        else decoder.readAny()
      }
      return length
    }
    case 3: // binary
      decoder.readBuf()
      return 1
    case 4: // string: Yjs counts UTF-16 code units
      return decoder.readString().length
    case 5: // embed
      decoder.readJSON()
      return 1
    case 6: // format
      decoder.readKey()
      decoder.readJSON()
      return 1
    case 7: {
      // type
      const typeRef = decoder.readTypeRef()
      if (typeRef > 6) throw new Error(`unknown type ref ${typeRef}`)
      if (typeRefsWithKey.has(typeRef)) decoder.readKey()
      return 1
    }
    case 9: // subdocument
      decoder.readString()
      decoder.readAny()
      return 1
    default:
      throw new Error(`unknown content ref ${ref}`)
  }
}
