import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/**
 * fast-check generators of y-websocket frames for the fuzz (bench/fuzz.ts, test/sync/fuzz.test.ts).
 * Well-formed frames are what stock clients could send together: each update comes from one of a
 * few replicas that keep their own Yjs client id. Hostile frames are random bytes, mutated frames,
 * huge varints, unknown types, updates whose structs Yjs decodes but that point anywhere (origins
 * past their own clock, into unknown clients, parents that are not types), and updates that reuse
 * another update's client id and clocks for other content.
 */

/** A frame and whether a correct server may close the connection for it. */
export interface FuzzFrame {
  bytes: Uint8Array
  hostile: boolean
}

/**
 * Yjs client ids of the hostile generators: few, so their updates collide with each other's ids
 * and clocks; some large, as random ids are. Replica ids count up from `firstReplicaId` and are none of these.
 */
const clientIds = [0, 1, 2, 7, 0x5eed, 2 ** 31 - 1, 2 ** 32 - 1]
const clientId = fc.constantFrom(...clientIds)
const rootNames = ['content', 'items', 'map', '']

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** `[0, syncType, varByteArray(payload)]`. */
function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, syncType)
    encoding.writeVarUint8Array(encoder, payload)
  })
}

type Edit =
  | { kind: 'insert'; index: number; text: string }
  | { kind: 'delete'; index: number; length: number }
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'push'; values: unknown[] }

const jsonValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3, noNullPrototype: true }))
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), index: fc.nat(40), text: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }) }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat(40), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 4 }), value: jsonValue }),
  fc.record({ kind: fc.constant('push' as const), values: fc.array(jsonValue, { minLength: 1, maxLength: 4 }) }),
)

function applyEdit(doc: Y.Doc, e: Edit): void {
  const text = doc.getText('content')
  const index = Math.min(e.kind === 'insert' || e.kind === 'delete' ? e.index : 0, text.length)
  if (e.kind === 'insert') text.insert(index, e.text)
  else if (e.kind === 'delete') text.delete(index, Math.min(e.length, text.length - index))
  else if (e.kind === 'set') doc.getMap('map').set(e.key, e.value)
  else doc.getArray('items').push(e.values)
}

/** The update of a fresh doc of client `client` after `edits`, one transaction each, as Yjs encodes it. */
function editsUpdate(client: number, edits: Edit[]): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = client
  for (const e of edits) doc.transact(() => applyEdit(doc, e))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

const replicaCount = 8
const firstReplicaId = 1_000_000
/** A replica this long is retired for a fresh one, so that no doc grows without bound. */
const maxReplicaText = 400

/**
 * The stock clients behind the well-formed updates: Y.Docs that each edit their own copy and send
 * what a transaction changed, as a WebsocketProvider does. They never hear from each other (all
 * their edits are concurrent) and their client ids are never reused, so every update is one a
 * real client could send. Drawing an update edits a replica: the generator has state, which is
 * why the fuzz does not shrink, and why each doc it fuzzes gets replicas of its own.
 */
class Replicas {
  private readonly docs: Y.Doc[] = []
  private nextId = firstReplicaId

  update(index: number, edits: Edit[]): Uint8Array {
    let doc = this.docs[index]
    if (!doc || doc.getText('content').length > maxReplicaText) {
      doc?.destroy()
      doc = new Y.Doc()
      doc.clientID = this.nextId++
      this.docs[index] = doc
    }
    const replica = doc
    let update: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc())
    const capture = (u: Uint8Array): void => void (update = u)
    replica.on('update', capture)
    replica.transact(() => edits.forEach((e) => applyEdit(replica, e)))
    replica.off('update', capture)
    return update
  }
}

/** An update that reuses one of a few client ids from scratch: its clocks name other updates' structs. */
const conflictingUpdate = fc.tuple(clientId, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([client, edits]) => editsUpdate(client, edits))

const stateVector = fc.array(fc.tuple(clientId, fc.nat(2_000)), { maxLength: 5 }).map((entries) =>
  frame((encoder) => {
    encoding.writeVarUint(encoder, entries.length)
    for (const [client, clock] of entries) {
      encoding.writeVarUint(encoder, client)
      encoding.writeVarUint(encoder, clock)
    }
  }),
)

const awarenessUpdate = fc
  .array(fc.tuple(clientId, fc.nat(100), fc.option(fc.record({ user: fc.record({ name: fc.string({ maxLength: 8 }) }), cursor: fc.option(fc.nat(100)) }), { nil: null })), { minLength: 1, maxLength: 3 })
  .map((entries) =>
    frame((encoder) => {
      encoding.writeVarUint(encoder, entries.length)
      for (const [client, clock, state] of entries) {
        encoding.writeVarUint(encoder, client)
        encoding.writeVarUint(encoder, clock)
        encoding.writeVarString(encoder, JSON.stringify(state))
      }
    }),
  )

/** Frames stock clients could send: sync step 1, step 2 and updates from `replicas`, awareness, an awareness query. */
function wellFormedFrame(update: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 2, arbitrary: stateVector.map((sv) => syncFrame(0, sv)) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(1, 2), update).map(([syncType, u]) => syncFrame(syncType, u)) },
    { weight: 2, arbitrary: awarenessUpdate.map((a) => frame((encoder) => (encoding.writeVarUint(encoder, 1), encoding.writeVarUint8Array(encoder, a)))) },
    { weight: 1, arbitrary: fc.constant(Uint8Array.of(3)) },
  )
}

/** Well-formed frames whose updates come from fresh docs of the hostile ids: the base of mutations, which would break a replica's chain. */
const standaloneFrame = wellFormedFrame(conflictingUpdate)

/** One struct of a hand-encoded update: any content, pointing anywhere. */
const anyStruct = fc.record({
  origin: fc.option(fc.tuple(clientId, fc.nat(100))),
  rightOrigin: fc.option(fc.tuple(clientId, fc.nat(100))),
  /** Without origins: a root type by name, or an item that may not be a type at all. */
  parent: fc.oneof(fc.constantFrom(...rootNames), fc.tuple(clientId, fc.nat(100))),
  parentSub: fc.option(fc.string({ maxLength: 4 })),
  content: fc.oneof(
    fc.record({ ref: fc.constant(4), text: fc.string({ minLength: 1, maxLength: 6 }) }),
    fc.record({ ref: fc.constantFrom(0, 1, 10), length: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(2 ** 31, 2 ** 52)) }),
    fc.record({ ref: fc.constant(7), typeRef: fc.nat(8) }),
    fc.record({ ref: fc.constant(8), values: fc.array(jsonValue, { minLength: 1, maxLength: 3 }) }),
  ),
})

/**
 * A V1 update written struct by struct with Yjs's own encoder, so that `Y.decodeUpdate` accepts
 * it, but with origins, parents and clocks chosen at random: what a buggy or malicious client sends.
 */
const hostileUpdate = fc
  .tuple(
    fc.array(fc.tuple(clientId, fc.oneof(fc.nat(60), fc.constant(2 ** 40)), fc.array(anyStruct, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 2 }),
    fc.array(fc.tuple(clientId, fc.array(fc.tuple(fc.nat(100), fc.integer({ min: 1, max: 2 ** 31 })), { minLength: 1, maxLength: 2 })), { maxLength: 2 }),
  )
  .map(([clients, deletes]) => {
    const encoder = new Y.UpdateEncoderV1()
    encoding.writeVarUint(encoder.restEncoder, clients.length)
    for (const [client, clock, structs] of clients) {
      encoding.writeVarUint(encoder.restEncoder, structs.length)
      encoder.writeClient(client)
      encoding.writeVarUint(encoder.restEncoder, clock)
      for (const struct of structs) writeStruct(encoder, struct)
    }
    encoding.writeVarUint(encoder.restEncoder, deletes.length)
    for (const [client, ranges] of deletes) {
      encoder.resetDsCurVal()
      encoding.writeVarUint(encoder.restEncoder, client)
      encoding.writeVarUint(encoder.restEncoder, ranges.length)
      for (const [clock, length] of ranges) {
        encoder.writeDsClock(clock)
        encoder.writeDsLen(length)
      }
    }
    return encoder.toUint8Array()
  })

/** Struct refs of Yjs's V1 encoding: 0 GC, 10 Skip, otherwise an Item with this content ref in its info byte. */
function writeStruct(encoder: Y.UpdateEncoderV1, struct: typeof anyStruct extends fc.Arbitrary<infer T> ? T : never): void {
  const { content } = struct
  if (content.ref === 0 || content.ref === 10) {
    encoder.writeInfo(content.ref)
    if (content.ref === 0) encoder.writeLen(content.length)
    else encoding.writeVarUint(encoder.restEncoder, content.length)
    return
  }
  const info = content.ref | (struct.origin ? 0x80 : 0) | (struct.rightOrigin ? 0x40 : 0) | (struct.parentSub !== null ? 0x20 : 0)
  encoder.writeInfo(info)
  if (struct.origin) encoder.writeLeftID(Y.createID(...struct.origin))
  if (struct.rightOrigin) encoder.writeRightID(Y.createID(...struct.rightOrigin))
  if (!struct.origin && !struct.rightOrigin) {
    if (typeof struct.parent === 'string') {
      encoder.writeParentInfo(true)
      encoder.writeString(struct.parent)
    } else {
      encoder.writeParentInfo(false)
      encoder.writeLeftID(Y.createID(...struct.parent))
    }
    if (struct.parentSub !== null) encoder.writeString(struct.parentSub)
  }
  if ('text' in content) encoder.writeString(content.text)
  else if ('length' in content) encoder.writeLen(content.length)
  else if ('typeRef' in content) encoder.writeTypeRef(content.typeRef)
  else {
    encoder.writeLen(content.values.length)
    for (const value of content.values) encoder.writeAny(value)
  }
}

/** A varint of 8 to 10 bytes: past 2^53 lib0 must refuse it, below it anything that uses it as a count or length is in trouble. */
const hugeVarint = fc.oneof(
  fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53 - 1).map((n) => frame((encoder) => encoding.writeVarUint(encoder, n))),
  fc.integer({ min: 8, max: 10 }).map((bytes) => Uint8Array.from({ length: bytes }, (_, i) => (i === bytes - 1 ? 0x7f : 0xff))),
)

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'varint'; at: number; bytes: Uint8Array }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('varint' as const), at: fc.nat(), bytes: hugeVarint }) },
)

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out: Uint8Array = Uint8Array.from(bytes)
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : ('at' in m ? m.at % out.length : 0)
    if (m.kind === 'flip' && out.length > 0) out[at] = (out[at] as number) ^ (1 << m.bit)
    else if (m.kind === 'truncate') out = out.subarray(0, at)
    else if (m.kind === 'extend') out = concat(out, m.bytes)
    else if (m.kind === 'varint') out = concat(out.subarray(0, at), m.bytes, out.subarray(at))
  }
  return out
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Frames a correct server may refuse, each closing at most the connection that sent it. */
const hostileFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  // Random bytes behind a valid message type get past the first byte.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom([0, 0], [0, 1], [0, 2], [1], [2, 0], [3]), fc.uint8Array({ maxLength: 48 })).map(([head, tail]) => concat(Uint8Array.from(head), tail)) },
  { weight: 5, arbitrary: fc.tuple(standaloneFrame, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([bytes, mutations]) => mutate(bytes, mutations)) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(1, 2), hostileUpdate).map(([syncType, u]) => syncFrame(syncType, u)) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(3), hugeVarint).map(([prefix, varint]) => concat(Uint8Array.from(prefix === 0 ? [0, 2] : prefix === 1 ? [1] : prefix === 2 ? [0, 0] : []), varint)) },
  // Types and sync subtypes past the protocol's, and auth messages, which only servers send.
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.integer({ min: 4, max: 300 }), fc.constant(2 ** 32)), fc.uint8Array({ maxLength: 8 })).map(([type, tail]) => concat(frame((e) => encoding.writeVarUint(e, type)), tail)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 3, max: 300 }), conflictingUpdate).map(([syncType, u]) => syncFrame(syncType, u)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(1, 2), conflictingUpdate).map(([syncType, u]) => syncFrame(syncType, u)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }).map((reason) => frame((e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, reason)))) },
)

/** Well-formed and hostile frames for one doc, half and half, tagged; see `Replicas` for why each doc needs its own. */
export function fuzzFrames(): fc.Arbitrary<FuzzFrame> {
  const replicas = new Replicas()
  const update = fc.tuple(fc.nat(replicaCount - 1), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([index, edits]) => replicas.update(index, edits))
  return fc.oneof(
    wellFormedFrame(update).map((bytes) => ({ bytes, hostile: false })),
    hostileFrame.map((bytes) => ({ bytes, hostile: true })),
  )
}
