import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { z } from 'zod'
import { type FolioDatabase, openDatabase, setting } from '../../schema/db/index.js'
import { ForbiddenError } from '../../server/errors.js'
import { createLogger } from '../../server/logger.js'
import { RpcRegistry } from '../../server/rpc/index.js'
import { defaultSyncOptions, encodeSyncUpdate, SqliteDocStore, SyncEngine } from '../../sync/index.js'
import { waitFor } from '../helpers/clients.js'
import { tempDir } from '../helpers/server.js'
import { RecordingSocket } from '../helpers/recordingSocket.js'

/** How long a handler awaits real I/O (a timer) inside its open transaction. */
const ioMs = 150

// Transactional handlers await the database, and real I/O too; on the one SQLite connection their
// transactions take turns with each other and with the engine's log appends.
describe('serialized transactions on one SQLite connection', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase
  /** A second connection to the same file: it sees only what was committed. */
  let outside: Database.Database
  let registry: RpcRegistry
  const caller = { user: { id: 1, userName: 'tester' }, client: null }
  const committedSettings = () => (outside.prepare('select key from setting order by key').all() as { key: string }[]).map((row) => row.key)
  const committedUpdates = () => (outside.prepare('select count(*) as n from doc_update').get() as { n: number }).n

  beforeEach(() => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
    outside = new Database(tmp.dbPath, { readonly: true })
    registry = new RpcRegistry(db, () => {}, createLogger('silent'))
  })
  afterEach(() => {
    outside.close()
    db.$client.close()
    tmp.remove()
  })

  /** A call that writes `key`, awaits a timer with its transaction open, writes `key`-2, then commits or fails. */
  const defineSlow = (event: string, key: string, fail: boolean, order: string[]) =>
    registry.define(
      event,
      z.object({}),
      async (_input, ctx) => {
        order.push(`${event} begins`)
        await ctx.db.insert(setting).values({ key, value: '1' })
        await sleep(ioMs)
        await ctx.db.insert(setting).values({ key: `${key}-2`, value: '1' })
        order.push(`${event} ends`)
        if (fail) throw new ForbiddenError('changed my mind')
        return null
      },
      { transaction: true },
    )

  const defineQuick = (order: string[]) =>
    registry.define(
      'quick',
      z.object({}),
      async (_input, ctx) => {
        order.push(`quick begins and sees ${(await ctx.db.select().from(setting)).length}`)
        await ctx.db.insert(setting).values({ key: 'quick', value: '1' })
        return null
      },
      { transaction: true },
    )

  it('runs a second transaction after the first commits, not inside it', async () => {
    const order: string[] = []
    defineSlow('slow', 'slow', false, order)
    defineQuick(order)
    const slow = registry.call('slow', {}, caller)
    await sleep(10)
    const quick = registry.call('quick', {}, caller)
    await sleep(ioMs / 3)
    // The first is still open: nothing of either is committed yet.
    expect(committedSettings()).toEqual([])
    expect((await slow).status).toBe(200)
    expect((await quick).status).toBe(200)
    expect(order).toEqual(['slow begins', 'slow ends', 'quick begins and sees 2'])
    expect(committedSettings()).toEqual(['quick', 'slow', 'slow-2'])
  })

  it('keeps a second transaction when the first, still open when it arrived, rolls back', async () => {
    const order: string[] = []
    defineSlow('slowFail', 'slow', true, order)
    defineQuick(order)
    const slow = registry.call('slowFail', {}, caller)
    await sleep(10)
    const quick = registry.call('quick', {}, caller)
    expect((await slow).status).toBe(403)
    expect((await quick).status).toBe(200)
    expect(order).toEqual(['slowFail begins', 'slowFail ends', 'quick begins and sees 0'])
    expect(committedSettings()).toEqual(['quick'])
  })

  it('stores a client update that arrives during an open transaction after it ends, broadcasts it only then, and keeps it when the transaction rolls back', async () => {
    const engine = new SyncEngine(new SqliteDocStore(db), defaultSyncOptions, createLogger('silent'))
    const reader = new RecordingSocket()
    const writer = engine.connect(new RecordingSocket(), 'notes:during', { access: 'write', userId: null })
    engine.connect(reader, 'notes:during', { access: 'write', userId: null })
    defineSlow('slowFail', 'slow', true, [])
    const call = registry.call('slowFail', {}, caller)
    await sleep(10)
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'typed while an RPC transaction was open')
    writer.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)), true)
    await sleep(ioMs / 3)
    // Many event-loop turns later the update is held: not appended inside the open transaction, not sent.
    expect(engine.stats().unstoredUpdates).toBe(1)
    expect(reader.updates()).toHaveLength(0)
    expect((await call).status).toBe(403)
    await waitFor('the update to be stored and broadcast', () => reader.updates().length === 1)
    expect(committedUpdates()).toBe(1)
    expect(committedSettings()).toEqual([])
    await engine.shutdown()
    // What a restart loads: the update, read back from the file.
    const reopened = new SyncEngine(new SqliteDocStore(openDatabase(tmp.dbPath)), defaultSyncOptions, createLogger('silent'))
    expect(reopened.read('notes:during', (doc) => doc.getText('content').toString())).toBe('typed while an RPC transaction was open')
    await reopened.shutdown()
  })

  it('makes engine.transact wait for an open transaction, then stores its change at once', async () => {
    const engine = new SyncEngine(new SqliteDocStore(db), defaultSyncOptions, createLogger('silent'))
    defineSlow('slow', 'slow', false, [])
    const call = registry.call('slow', {}, caller)
    await sleep(10)
    const edit = engine.transact('notes:server', { userId: '7' }, (doc) => doc.getText('content').insert(0, 'server edit'))
    await sleep(ioMs / 3)
    expect(engine.read('notes:server', (doc) => doc.getText('content').toString())).toBe('')
    await edit
    expect((await call).status).toBe(200)
    expect(committedUpdates()).toBe(1)
    await engine.shutdown()
  })

  it('refuses engine.transact inside a transactional handler instead of waiting for itself', async () => {
    const engine = new SyncEngine(new SqliteDocStore(db), defaultSyncOptions, createLogger('silent'))
    registry.define(
      'nested',
      z.object({}),
      async (_input, ctx) => {
        await ctx.db.insert(setting).values({ key: 'nested', value: '1' })
        await engine.transact('notes:nested', { userId: null }, (doc) => doc.getText('content').insert(0, 'x'))
        return null
      },
      { transaction: true },
    )
    expect(await registry.call('nested', {}, caller)).toEqual({ status: 500, answer: { success: false, message: 'internal error in "nested"' }, headers: {} })
    expect(committedSettings()).toEqual([])
    expect(committedUpdates()).toBe(0)
    await engine.shutdown()
  })

  it('shuts down within its bound while a transaction stays open: pending updates stored, the transaction rolled back', async () => {
    const shutdownWaitMs = 50
    const engine = new SyncEngine(new SqliteDocStore(db), { ...defaultSyncOptions, shutdownWaitMs }, createLogger('silent'))
    const writer = engine.connect(new RecordingSocket(), 'notes:closing', { access: 'write', userId: null })
    registry.define(
      'stuck',
      z.object({}),
      async (_input, ctx) => {
        await ctx.db.insert(setting).values({ key: 'stuck', value: '1' })
        await sleep(ioMs * 4)
        return null
      },
      { transaction: true },
    )
    const call = registry.call('stuck', {}, caller)
    await sleep(10)
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'sent just before shutdown')
    writer.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)), true)
    const started = Date.now()
    await engine.shutdown()
    expect(Date.now() - started).toBeLessThan(shutdownWaitMs + ioMs)
    expect(committedUpdates()).toBe(1)
    expect(committedSettings()).toEqual([])
    const abandoned = {
      status: 503,
      answer: { success: false, message: 'the call wrote nothing: the server is shutting down; try again' },
      headers: { 'Retry-After': '5' },
    }
    expect(await call).toEqual(abandoned)
    expect(committedSettings()).toEqual([])
    // Later transactions are refused rather than started.
    expect(await registry.call('stuck', {}, caller)).toEqual(abandoned)
  })
})
