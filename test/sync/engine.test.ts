import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../../server/index.js'
import { defaultSyncOptions, encodeSyncUpdate, openDatabase, SqliteDocStore, type SyncSocket, SyncEngine, type FolioDatabase } from '../../sync/index.js'
import { frameKind, waitFor } from '../helpers/clients.js'
import { tempDir } from '../helpers/server.js'

/** An in-process transport: the engine writes frames into it like into a websocket. */
class RecordingSocket implements SyncSocket {
  readonly frames: Uint8Array[] = []
  closedWith: { code: number; reason: string } | null = null
  bufferedAmount = 0
  send(message: Uint8Array): void {
    this.frames.push(message)
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason }
  }
  updates(): Uint8Array[] {
    return this.frames.filter((f) => frameKind(f).type === 0 && frameKind(f).subtype === 2)
  }
}

describe('sync engine with a real SQLite store', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase
  let engine: SyncEngine

  beforeEach(() => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
    engine = new SyncEngine(new SqliteDocStore(db), { ...defaultSyncOptions, persistRetryMs: 20 }, createLogger('silent'))
  })
  afterEach(() => {
    engine.shutdown()
    db.$client.close()
    tmp.remove()
  })

  const rows = () => (db.$client.prepare('select count(*) as n from doc_update').get() as { n: number }).n

  it('broadcasts nothing while the store refuses writes, then stores and broadcasts on retry', async () => {
    const writer = new RecordingSocket()
    const reader = new RecordingSocket()
    const writerConnection = engine.connect(writer, 'notes:disk', { access: 'write', userId: null })
    engine.connect(reader, 'notes:disk', { access: 'write', userId: null })

    db.$client.pragma('query_only = ON')
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'must not be seen before it is stored')
    writerConnection.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)), true)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(reader.updates()).toHaveLength(0)
    expect(rows()).toBe(0)

    db.$client.pragma('query_only = OFF')
    await waitFor('the retry to store and broadcast', () => reader.updates().length === 1)
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

  it('applies a server-side change as one stored, attributed update and broadcasts it', () => {
    const reader = new RecordingSocket()
    engine.connect(reader, 'notes:server-edit', { access: 'read', userId: null })
    const length = engine.transact('notes:server-edit', { userId: '42' }, (doc) => {
      doc.getText('content').insert(0, 'from an RPC call')
      return doc.getText('content').length
    })
    expect(length).toBe(16)
    // Stored before transact returned, and already sent: no waiting for the end of the tick.
    expect(db.$client.prepare('select user_id from doc_update').all()).toEqual([{ user_id: '42' }])
    expect(reader.updates()).toHaveLength(1)
    expect(engine.read('notes:server-edit', (doc) => doc.getText('content').toString())).toBe('from an RPC call')
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
    local.shutdown()
  })
})
