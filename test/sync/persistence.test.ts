import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FolioServer } from '../../server/index.js'
import { SqliteDocStore } from '../../sync/index.js'
import { openDatabase } from '../../schema/db/index.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { closeProviders, openProvider, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

describe('durable persistence', () => {
  let tmp: ReturnType<typeof tempDir>
  const servers: FolioServer[] = []
  let token = ''

  async function start(env: Record<string, string> = {}, port = 0): Promise<FolioServer> {
    const server = await startTestServer(tmp.dbPath, { PORT: String(port), ...env })
    servers.push(server)
    // Tokens live in the database, so one login serves every restart of the same database.
    token ||= await login(server.url, 'admin', adminPassword)
    return server
  }

  function query<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(tmp.dbPath, { readonly: true })
    try {
      return db.prepare(sql).all(...params) as T[]
    } finally {
      db.close()
    }
  }

  beforeEach(() => {
    tmp = tempDir()
    token = ''
  })
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
    tmp.remove()
  })

  it('serves the same content after a restart', async () => {
    const first = await start()
    const writer = await syncedProvider(syncUrl(first), 'notes:restart', { params: { token } })
    writer.doc.getText('content').insert(0, 'survives restarts')
    writer.doc.getMap('meta').set('title', 'Notes')
    await waitFor('the edit to be stored', () => query('select 1 from doc_update').length >= 2)
    closeProviders(writer)
    await first.close()

    const second = await start()
    const reader = await syncedProvider(syncUrl(second), 'notes:restart', { params: { token } })
    expect(reader.doc.getText('content').toString()).toBe('survives restarts')
    expect(reader.doc.getMap('meta').get('title')).toBe('Notes')
    closeProviders(reader)
  })

  it('logs every update with its seq, client and time, and keeps the log after checkpoints', async () => {
    const server = await start({ FOLIO_CHECKPOINT_EVERY_UPDATES: '100' })
    const writer = await syncedProvider(syncUrl(server), 'notes:log', { params: { token } })
    const text = writer.doc.getText('content')
    for (let i = 0; i < 1_050; i++) {
      text.insert(text.length, String.fromCharCode(97 + (i % 26)))
      // Spread the edits over several ticks, as typing does.
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    await waitFor('every edit to be stored', () => query('select 1 from doc_update').length === 1_050)
    const rows = query<{ seq: number; client_id: number; created_at: number }>(
      'select seq, client_id, created_at from doc_update where doc_id = ? order by seq',
      'notes:log',
    )
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 1_050 }, (_, i) => i + 1))
    expect(new Set(rows.map((r) => r.client_id))).toEqual(new Set([writer.doc.clientID]))
    expect(rows.every((r) => Math.abs(r.created_at - Date.now()) < 60_000)).toBe(true)
    const checkpoints = query<{ seq: number }>('select seq from doc_checkpoint where doc_id = ? order by seq', 'notes:log')
    // One checkpoint after each commit that takes the tail to 100 or more; commits group a tick's edits.
    const gaps = checkpoints.map((c, i) => c.seq - (checkpoints[i - 1]?.seq ?? 0))
    expect(gaps.every((gap) => gap >= 100 && gap < 200)).toBe(true)
    expect(checkpoints.length).toBeGreaterThanOrEqual(6)
    closeProviders(writer)
  })

  it('loads a long history from the latest checkpoint plus the tail after it', async () => {
    const server = await start({ FOLIO_CHECKPOINT_EVERY_UPDATES: '200', FOLIO_UNLOAD_GRACE_MS: '600000' })
    const writer = await syncedProvider(syncUrl(server), 'notes:long', { params: { token } })
    const text = writer.doc.getText('content')
    let expected = ''
    for (let i = 0; i < 2_345; i++) {
      const char = String.fromCharCode(65 + (i % 26))
      if (i % 7 === 6 && text.length > 0) {
        text.delete(i % text.length, 1)
        expected = expected.slice(0, i % expected.length) + expected.slice((i % expected.length) + 1)
      } else {
        text.insert(i % (text.length + 1), char)
        expected = expected.slice(0, i % (expected.length + 1)) + char + expected.slice(i % (expected.length + 1))
      }
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    expect(text.toString()).toBe(expected)
    const storedCount = () => query('select 1 from doc_update').length
    const checkpointSeq = () => query<{ seq: number }>('select max(seq) as seq from doc_checkpoint')[0]!.seq
    await waitFor('every edit to be stored', () => storedCount() === 2_345)
    // The last commit may have crossed a checkpoint mark; edit one tick at a time until a tail follows it.
    while (checkpointSeq() === storedCount()) {
      text.insert(0, '.')
      expected = `.${expected}`
      const target = storedCount() + 1
      await waitFor('the edit to be stored', () => storedCount() === target)
    }
    const total = storedCount()
    closeProviders(writer)

    // Read as a restarting server would, without the checkpoint a clean unload writes.
    const store = new SqliteDocStore(openDatabase(tmp.dbPath))
    const stored = store.load('notes:long')
    store.close()
    expect(stored.checkpoint!.seq).toBeGreaterThan(2_000)
    expect(stored.tail.length).toBeGreaterThan(0)
    expect(stored.tail).toHaveLength(total - stored.checkpoint!.seq)
    expect(stored.lastSeq).toBe(total)
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, stored.checkpoint!.state)
    Y.applyUpdate(loaded, Y.mergeUpdates(stored.tail))
    expect(loaded.getText('content').toString()).toBe(expected)

    const reader = await syncedProvider(syncUrl(server), 'notes:long', { params: { token } })
    expect(reader.doc.getText('content').toString()).toBe(expected)
    closeProviders(reader)
  })

  it('copies the WAL into the database file on a worker thread, not on the server connection', async () => {
    const server = await start({ FOLIO_WAL_CHECKPOINT_MS: '50' })
    const writer = await syncedProvider(syncUrl(server), 'notes:wal', { params: { token } })
    const sizeBefore = statSync(tmp.dbPath).size
    const text = writer.doc.getText('content')
    for (let i = 0; i < 200; i++) {
      text.insert(text.length, 'x'.repeat(2_000))
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    await waitFor('every edit to be stored', () => query('select 1 from doc_update').length === 200)
    // The server's own connection never checkpoints (autocheckpoint 0): only the worker can have grown the file.
    await waitFor('the worker to checkpoint', () => statSync(tmp.dbPath).size > sizeBefore + 300_000)
    closeProviders(writer)
  })

  it('writes a checkpoint when a document unloads, so the next load replays no log', async () => {
    const server = await start()
    const writer = await syncedProvider(syncUrl(server), 'notes:unload', { params: { token } })
    writer.doc.getText('content').insert(0, 'abc')
    closeProviders(writer)
    await waitFor('the doc to unload', () => server.engine.inspect('notes:unload') === undefined)
    const store = new SqliteDocStore(openDatabase(tmp.dbPath))
    const stored = store.load('notes:unload')
    store.close()
    expect(stored.tail).toHaveLength(0)
    expect(stored.checkpoint?.seq).toBe(stored.lastSeq)
  })

  it('merges edits a client made while the server was down', async () => {
    const first = await start()
    const port = first.port
    const offline = openProvider(syncUrl(first), 'notes:offline', { params: { token } })
    await waitFor('first sync', () => offline.synced)
    offline.doc.getText('content').insert(0, 'online. ')
    await waitFor('the edit to be stored', () => query('select 1 from doc_update').length === 1)
    await first.close()
    await waitFor('the client to notice', () => !offline.wsconnected)

    // While the server is down the client keeps editing; the provider keeps retrying.
    offline.doc.getText('content').insert(offline.doc.getText('content').length, 'offline edit.')
    const second = await start({}, port)
    const other = await syncedProvider(syncUrl(second), 'notes:offline', { params: { token } })
    other.doc.getText('content').insert(0, 'server side. ')

    const text = (doc: Y.Doc) => doc.getText('content').toString()
    await waitFor('both sides to converge', () => text(offline.doc) === text(other.doc) && text(other.doc).includes('offline edit.'), 10_000)
    expect(text(other.doc)).toBe('server side. online. offline edit.')
    expect(second.engine.inspect('notes:offline')!.doc.getText('content').toString()).toBe(text(other.doc))
    closeProviders(offline, other)
  })
})
