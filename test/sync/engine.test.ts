import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../../server/index.js'
import { defaultSyncOptions, encodeSyncUpdate, SqliteDocStore, SyncEngine } from '../../sync/index.js'
import { openDatabase, type FolioDatabase } from '../../schema/db/index.js'
import { frameKind, waitFor } from '../helpers/clients.js'
import { frame } from '../helpers/frames.js'
import { tempDir } from '../helpers/server.js'
import { RecordingSocket } from '../helpers/recordingSocket.js'

describe('sync engine with a real SQLite store', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase
  let engine: SyncEngine

  beforeEach(() => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
    engine = new SyncEngine(new SqliteDocStore(db), defaultSyncOptions, createLogger('silent'))
  })
  afterEach(async () => {
    await engine.shutdown()
    db.$client.close()
    tmp.remove()
  })

  const rows = () => (db.$client.prepare('select count(*) as n from doc_update').get() as { n: number }).n

  it('while the store refuses writes, broadcasts and keeps nothing and tells the writer, who resends once it works', async () => {
    const writer = new RecordingSocket()
    const reader = new RecordingSocket()
    const writerConnection = engine.connect(writer, 'notes:disk', { access: 'write', userId: null })
    engine.connect(reader, 'notes:disk', { access: 'write', userId: null })

    db.$client.pragma('query_only = ON')
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'must not be seen before it is stored')
    const frame = encodeSyncUpdate(Y.encodeStateAsUpdate(edit))
    writerConnection.receive(frame, true)
    await waitFor('the writer to be told', () => writer.closedWith !== null)
    expect(writer.closedWith?.code).toBe(1013)
    expect(reader.updates()).toHaveLength(0)
    expect(rows()).toBe(0)
    // The server went back to the stored state: a client connecting now gets none of it.
    expect(engine.read('notes:disk', (doc) => doc.getText('content').toString())).toBe('')

    db.$client.pragma('query_only = OFF')
    // A stock client reconnects and sends what the server lacks again.
    engine.connect(new RecordingSocket(), 'notes:disk', { access: 'write', userId: null }).receive(frame, true)
    await waitFor('the resend to be stored and broadcast', () => reader.updates().length === 1)
    expect(rows()).toBe(1)
    const seen = new Y.Doc()
    Y.applyUpdate(seen, decoding.readVarUint8Array(frameKind(reader.updates()[0]!).decoder))
    expect(seen.getText('content').toString()).toBe('must not be seen before it is stored')
  })

  it('commits all updates of one tick in one merged broadcast but one log row each', async () => {
    const writer = new RecordingSocket()
    const reader = new RecordingSocket()
    const writerConnection = engine.connect(writer, 'notes:tick', { access: 'write', userId: null })
    engine.connect(reader, 'notes:tick', { access: 'write', userId: null })
    const source = new Y.Doc()
    const updates: Uint8Array[] = []
    source.on('update', (update: Uint8Array) => updates.push(update))
    for (let i = 0; i < 10; i++) source.getText('content').insert(i, String(i))
    for (const update of updates) writerConnection.receive(encodeSyncUpdate(update), true)

    await waitFor('the commit', () => reader.updates().length > 0)
    expect(reader.updates()).toHaveLength(1)
    expect(writer.updates()).toHaveLength(0)
    expect(rows()).toBe(10)
  })

  it('applies a server-side change as one stored, attributed update and broadcasts it', async () => {
    const reader = new RecordingSocket()
    engine.connect(reader, 'notes:server-edit', { access: 'read', userId: null })
    const length = await engine.transact('notes:server-edit', { userId: '42' }, (doc) => {
      doc.getText('content').insert(0, 'from an RPC call')
      return doc.getText('content').length
    })
    expect(length).toBe(16)
    // Stored before transact resolved, and already sent: no waiting for the end of the tick.
    expect(db.$client.prepare('select user_id from doc_update').all()).toEqual([{ user_id: '42' }])
    expect(reader.updates()).toHaveLength(1)
    expect(engine.read('notes:server-edit', (doc) => doc.getText('content').toString())).toBe('from an RPC call')
  })

  it('refuses with 1013 an update that waits for a missing dependency, keeps none of it, and takes it once it comes with what it needs', async () => {
    // `first` by one client, `second` by another typed after it: `second` alone cannot integrate.
    const author = new Y.Doc()
    author.clientID = 9
    author.getText('content').insert(0, 'first ')
    const first = Y.encodeStateAsUpdate(author)
    const other = new Y.Doc()
    other.clientID = 5
    Y.applyUpdate(other, first)
    other.getText('content').insert(6, 'second')
    const second = Y.encodeStateAsUpdate(other, Y.encodeStateVector(author))
    // An edit of a third client that would integrate on its own rides in the same update.
    const bystander = new Y.Doc()
    bystander.clientID = 3
    bystander.getMap('notes').set('k', 'v')
    const mixed = Y.mergeUpdates([Y.encodeStateAsUpdate(bystander), second])

    const writer = new RecordingSocket()
    const writerConnection = engine.connect(writer, 'notes:pending', { access: 'write', userId: null })
    writerConnection.receive(encodeSyncUpdate(mixed), true)
    await waitFor('the refusal', () => writer.closedWith !== null)
    expect(writer.closedWith).toEqual({ code: 1013, reason: 'the update depends on changes this document does not have; reconnect and sync again' })
    expect(engine.read('notes:pending', (doc) => [doc.getText('content').toString(), doc.getMap('notes').size, doc.store.pendingStructs])).toEqual(['', 0, null])

    const newcomer = new RecordingSocket()
    const newcomerConnection = engine.connect(newcomer, 'notes:pending', { access: 'write', userId: null })
    newcomerConnection.receive(frame(0, 0, Y.encodeStateVector(new Y.Doc())), true)
    await waitFor('the step 2 answer', () => newcomer.frames.some((f) => frameKind(f).subtype === 1))
    const step2 = newcomer.frames.find((f) => frameKind(f).subtype === 1)!
    const shown = new Y.Doc()
    Y.applyUpdate(shown, decoding.readVarUint8Array(frameKind(step2).decoder))
    expect([Y.getState(shown.store, 5), Y.getState(shown.store, 3)]).toEqual([0, 0])
    expect(rows()).toBe(0)

    newcomerConnection.receive(encodeSyncUpdate(Y.mergeUpdates([first, mixed])), true)
    await waitFor('all of it to be stored', () => rows() > 0)
    expect(newcomer.closedWith).toBeNull()
    expect(engine.read('notes:pending', (doc) => [doc.getText('content').toString(), doc.getMap('notes').get('k')])).toEqual(['first second', 'v'])
  })

  it('closes a slow reader whose output backs up, without affecting others', async () => {
    const options = { ...defaultSyncOptions, maxBufferedBytes: 1024 }
    const local = new SyncEngine(new SqliteDocStore(db), options, createLogger('silent'))
    const writer = new RecordingSocket()
    const slow = new RecordingSocket()
    const fast = new RecordingSocket()
    const writerConnection = local.connect(writer, 'notes:slow', { access: 'write', userId: null })
    local.connect(slow, 'notes:slow', { access: 'write', userId: null })
    local.connect(fast, 'notes:slow', { access: 'write', userId: null })
    slow.bufferedAmount = 4096
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'hi')
    writerConnection.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)), true)
    await waitFor('the commit', () => fast.updates().length === 1)
    expect(slow.closedWith?.code).toBe(1013)
    await local.shutdown()
  })
})
