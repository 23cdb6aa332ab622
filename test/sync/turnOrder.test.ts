import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type FolioDatabase, openDatabase } from '../../schema/db/index.js'
import { createLogger } from '../../server/index.js'
import { defaultSyncOptions, encodeSyncUpdate, SqliteDocStore, SyncEngine } from '../../sync/index.js'
import { waitFor } from '../helpers/clients.js'
import { RecordingSocket } from '../helpers/recordingSocket.js'
import { tempDir } from '../helpers/server.js'

const structsPerTurn = 10
const bulkEdits = 50

/** One-struct updates of a client with a fixed id, as a stock client would send them. */
function edits(clientId: number, count: number, edit: (doc: Y.Doc, index: number) => void): Uint8Array[] {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let index = 0; index < count; index++) edit(doc, index)
  return updates
}

const clientsIn = (update: Uint8Array) => new Set(Y.decodeUpdate(update).structs.map((struct) => struct.id.client))

// The order in which held connections go on when a turn ends: which slice of a burst a client's one
// frame is stored and broadcast with. Turns are bounded by structs here, so the schedule is exact.
describe('turn order under a burst', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase
  let engine: SyncEngine

  beforeEach(() => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
    engine = new SyncEngine(new SqliteDocStore(db), { ...defaultSyncOptions, maxStructsPerTurn: structsPerTurn, maxTurnMs: 60_000 }, createLogger('silent'))
  })
  afterEach(async () => {
    await engine.shutdown()
    db.$client.close()
    tmp.remove()
  })

  // When the probe's one frame arrives, after the first slice of the burst is broadcast: at once, between that
  // commit and the bulk sender's resumption; or one callback later, while the sender's second slice fills the turn.
  const arrivals: [string, (send: () => void) => void, number[][]][] = [
    ['before the held sender goes on, it goes first into the turn that starts', (send) => queueMicrotask(send), [[1], [1, 2], [1], [1], [1], [1]]],
    ['while the sender’s next slice fills the turn, it is held and goes before the slice after', (send) => queueMicrotask(() => setImmediate(send)), [[1], [1], [1, 2], [1], [1], [1]]],
  ]
  it.each(arrivals)('a frame that arrives during a burst: %s', async (_, arrive, expected) => {
    const reader = new RecordingSocket()
    engine.connect(reader, 'notes:order', { access: 'read', userId: null })
    const bulk = engine.connect(new RecordingSocket(), 'notes:order', { access: 'write', userId: null })
    const probe = engine.connect(new RecordingSocket(), 'notes:order', { access: 'write', userId: null })
    const [probeEdit] = edits(2, 1, (doc) => doc.getMap('m').set('probe', true))
    reader.onSend = () => {
      if (reader.updates().length !== 1) return
      reader.onSend = null
      arrive(() => probe.receive(encodeSyncUpdate(probeEdit!), true))
    }
    for (const update of edits(1, bulkEdits, (doc, index) => doc.getText('t').insert(index, 'x'))) bulk.receive(encodeSyncUpdate(update), true)

    const turns = Math.ceil((bulkEdits + 1) / structsPerTurn)
    await waitFor('every slice broadcast', () => reader.updates().length >= turns)
    const broadcasts = reader.updatePayloads()
    expect(broadcasts.map((update) => [...clientsIn(update)].sort())).toEqual(expected)
    expect(engine.read('notes:order', (doc) => [doc.getText('t').length, doc.getMap('m').get('probe')])).toEqual([bulkEdits, true])
  })
})
