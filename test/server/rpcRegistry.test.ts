import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type FolioDatabase, openDatabase, setting } from '../../schema/db/index.js'
import { createLogger } from '../../server/logger.js'
import { ForbiddenError } from '../../server/errors.js'
import { RpcRegistry, type TableChange } from '../../server/rpc/index.js'
import { tempDir } from '../helpers/server.js'

describe('RPC registry', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase
  let published: TableChange[][]
  let registry: RpcRegistry
  const caller = { user: { id: 1, userName: 'tester' }, client: null }
  const rows = () => db.select().from(setting).all()

  beforeEach(() => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
    published = []
    registry = new RpcRegistry(db, (changes) => published.push(changes), createLogger('silent'))
  })
  afterEach(() => {
    db.$client.close()
    tmp.remove()
  })

  it('rolls back every write of a transactional handler that throws, and skips its afterCommit', async () => {
    let afterCommitRan = false
    registry.define(
      'writeTwoThenFail',
      z.object({}),
      (_input, ctx) => {
        ctx.db.insert(setting).values({ key: 'one', value: '1' }).run()
        ctx.db.insert(setting).values({ key: 'two', value: '2' }).run()
        ctx.changes.record('setting', { id: 'one' })
        ctx.changes.record('setting', { id: 'two' })
        ctx.afterCommit(() => (afterCommitRan = true))
        throw new ForbiddenError('changed my mind')
      },
      { transaction: true },
    )
    const { answer, status } = await registry.call('writeTwoThenFail', {}, caller)
    expect(answer).toEqual({ success: false, message: 'changed my mind' })
    expect(status).toBe(403)
    expect(rows()).toHaveLength(0)
    expect(afterCommitRan).toBe(false)
    expect(published).toHaveLength(0)
  })

  it('commits a transactional handler, then publishes its changes and runs afterCommit in order', async () => {
    const order: string[] = []
    registry.define(
      'writeTwo',
      z.object({ value: z.string() }),
      ({ value }, ctx) => {
        ctx.db.insert(setting).values({ key: 'one', value }).run()
        ctx.db.insert(setting).values({ key: 'two', value }).run()
        ctx.changes.record('setting', { id: 'one', value })
        ctx.afterCommit(() => {
          // After commit the rows are visible outside the transaction.
          order.push(`afterCommit sees ${db.select().from(setting).where(eq(setting.key, 'two')).all().length}`)
        })
        return 'done'
      },
      { transaction: true },
    )
    expect((await registry.call('writeTwo', { value: 'x' }, caller)).answer).toEqual({ success: true, data: 'done' })
    expect(rows()).toHaveLength(2)
    expect(order).toEqual(['afterCommit sees 1'])
    expect(published).toEqual([[{ table: 'setting', writes: [{ row: { id: 'one', value: 'x' }, previous: null }] }]])
  })

  it('rolls back every write of an async transactional handler that throws after awaiting', async () => {
    registry.define(
      'asyncThenFail',
      z.object({}),
      async (_input, ctx) => {
        await ctx.db.insert(setting).values({ key: 'async', value: '1' })
        await new Promise((resolve) => setTimeout(resolve, 5))
        await ctx.db.insert(setting).values({ key: 'async-2', value: '1' })
        throw new TypeError('failed after its writes')
      },
      { transaction: true },
    )
    const { answer, status } = await registry.call('asyncThenFail', {}, caller)
    expect(status).toBe(500)
    expect(answer).toEqual({ success: false, message: 'internal error in "asyncThenFail"' })
    expect(rows()).toHaveLength(0)
  })

  it('answers unknown events, missing login and invalid input without running anything', async () => {
    let ran = false
    registry.define('typed', z.object({ name: z.string(), count: z.number().int() }), () => (ran = true))
    expect(await registry.call('nope', {}, caller)).toEqual({ status: 404, answer: { success: false, message: 'unknown event "nope"' }, headers: {} })
    expect((await registry.call('typed', { name: 'a', count: 1 }, { user: null, client: null })).status).toBe(401)
    const invalid = await registry.call('typed', { name: 3, count: 1.5 }, caller)
    expect(invalid.status).toBe(400)
    expect(invalid.answer).toEqual({ success: false, message: expect.stringMatching(/^invalid input: name: .*; count: /) })
    expect(ran).toBe(false)
  })

  it('never lets a handler crash the caller: unexpected errors become an internal-error answer', async () => {
    registry.define('boom', z.object({}), () => {
      throw new TypeError('undefined is not a function')
    })
    expect(await registry.call('boom', {}, caller)).toEqual({ status: 500, answer: { success: false, message: 'internal error in "boom"' }, headers: {} })
  })
})
