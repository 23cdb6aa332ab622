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

  it('takes a frame held during a slice of a burst before the burst’s next slice', async () => {
    const reader = new RecordingSocket()
    engine.connect(reader, 'notes:order', { access: 'read', userId: null })
    const bulk = engine.connect(new RecordingSocket(), 'notes:order', { access: 'write', userId: null })
    const probe = engine.connect(new RecordingSocket(), 'notes:order', { access: 'write', userId: null })
    const [probeEdit] = edits(2, 1, (doc) => doc.getMap('m').set('probe', true))

    // The probe's frame arrives while the burst's second slice is being taken in: right after the
    // first slice is broadcast, once the end of that turn has let the bulk sender go on.
    reader.onSend = () => {
      if (reader.updates().length !== 1) return
      reader.onSend = null
      queueMicrotask(() => probe.receive(encodeSyncUpdate(probeEdit!), true))
    }
    for (const update of edits(1, bulkEdits, (doc, index) => doc.getText('t').insert(index, 'x'))) bulk.receive(encodeSyncUpdate(update), true)

    const turns = Math.ceil((bulkEdits + 1) / structsPerTurn)
    await waitFor('every slice broadcast', () => reader.updates().length >= turns)
    const broadcasts = reader.updatePayloads()
    expect(broadcasts.length).toBe(turns)
    // Slice 1 and slice 2 are the bulk sender's; the probe's frame goes first in the turn after.
    expect(broadcasts.map((update) => [...clientsIn(update)].sort())).toEqual([[1], [1], [1, 2], [1], [1], [1]])
    expect(engine.read('notes:order', (doc) => [doc.getText('t').length, doc.getMap('m').get('probe')])).toEqual([bulkEdits, true])
  })
})
