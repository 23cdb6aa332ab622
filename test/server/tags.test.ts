import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, type Answer, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { EventsConnection } from '../helpers/events.js'
import { startTestServer, tempDir } from '../helpers/server.js'

type Row = Record<string, unknown> & { id: number }

describe('tag sets and tags', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let connections: EventsConnection[]
  let admin: EventsConnection
  let ann: { events: EventsConnection; userId: number }
  let ben: { events: EventsConnection; userId: number }

  const connect = async (token: string) => {
    const connection = await EventsConnection.open(server, token)
    connections.push(connection)
    return connection
  }
  const user = async (userName: string) => {
    const { token, userId } = await registerAndLogin(server.url, userName)
    return { events: await connect(token), userId }
  }

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    connections = []
    admin = await connect(await login(server.url, 'admin', adminPassword))
    ann = await user('ann')
    ben = await user('ben')
  })
  afterEach(async () => {
    for (const connection of connections) connection.ws.close()
    await server.close()
    tmp.remove()
  })

  const write = (events: EventsConnection, table: 'tag_set' | 'tag', data: Record<string, unknown>) => events.call<number>('appDataUpdate', { table, data })
  const written = async (events: EventsConnection, table: 'tag_set' | 'tag', data: Record<string, unknown>) => {
    const answer = await write(events, table, data)
    if (!answer.success) throw new Error(`appDataUpdate ${table} failed: ${answer.message}`)
    return answer.data
  }
  const message = (answer: Answer) => (answer.success ? null : answer.message)
  const tagsInDb = () => {
    const db = new Database(tmp.dbPath, { readonly: true })
    try {
      return db.prepare('SELECT id, name, color_code AS colorCode, user_id AS userId, public, tag_set_id AS tagSetId, deleted FROM tag ORDER BY id').all() as Row[]
    } finally {
      db.close()
    }
  }
  const subscribe = async (events: EventsConnection) => {
    await events.ok('subscribeAppData', { table: 'tag_set' })
    await events.ok('subscribeAppData', { table: 'tag' })
  }

  it('describes the nested tags field and the colour codes in appTables', async () => {
    const { appTables } = await ann.events.ok<{ appTables: { name: string; fields: Record<string, unknown>[] }[] }>('appInit')
    const fieldsOf = (table: string) => appTables.find((entry) => entry.name === table)!.fields
    expect(fieldsOf('tag_set')).toContainEqual({ name: 'tags', type: 'table', required: false, table: 'tag' })
    expect(fieldsOf('tag')).toContainEqual({ name: 'colorCode', type: 'string', required: false, default: 'info', values: ['info', 'warning', 'success', 'danger'] })
    expect(fieldsOf('tag')).toContainEqual({ name: 'tagSetId', type: 'number', required: true })
  })

  it('writes nested tags with their tag set in one call, under it and owned by its owner', async () => {
    await subscribe(ann.events)
    const setId = await written(ann.events, 'tag_set', { name: 'Argument', description: 'claims and evidence', tags: [{ name: 'Claim', colorCode: 'danger' }, { name: 'Evidence' }] })
    const [claim, evidence] = tagsInDb()
    expect(claim).toMatchObject({ name: 'Claim', colorCode: 'danger', userId: ann.userId, tagSetId: setId, public: 0 })
    expect(evidence).toMatchObject({ name: 'Evidence', colorCode: 'info', tagSetId: setId })
    await ann.events.waitForRow('tag_set', 'the new set', (row) => row.id === setId && row.name === 'Argument')
    await ann.events.waitForRow('tag', 'the nested tags', (row) => row.id === evidence!.id)

    // Update one, add one; the set itself unchanged.
    await written(ann.events, 'tag_set', { id: setId, tags: [{ id: claim!.id, name: 'Main claim' }, { name: 'Rebuttal', colorCode: 'warning' }] })
    expect(tagsInDb().map((row) => [row.name, row.colorCode, row.tagSetId])).toEqual([
      ['Main claim', 'danger', setId],
      ['Evidence', 'info', setId],
      ['Rebuttal', 'warning', setId],
    ])
    await ann.events.waitForRow('tag', 'the renamed tag', (row) => row.id === claim!.id && row.name === 'Main claim')

    // An admin adding tags to ann's set makes them hers.
    await written(admin, 'tag_set', { id: setId, tags: [{ name: 'By admin' }] })
    expect(tagsInDb().at(-1)).toMatchObject({ name: 'By admin', userId: ann.userId, tagSetId: setId })
  })

  it('validates nested and direct tag writes, naming the field, and a failed nested write writes nothing', async () => {
    const before = tagsInDb().length
    const bad = await write(ann.events, 'tag_set', { name: 'Colours', tags: [{ name: 'ok' }, { name: 'pink', colorCode: 'pink' }] })
    expect(message(bad)).toMatch(/^invalid input: data\.tags\.1\.colorCode: /)
    expect(await ann.events.ok('subscribeAppData', { table: 'tag_set' })).toBeTruthy()
    expect(ann.events.rowsOf('tag_set')).toEqual([])
    expect(tagsInDb()).toHaveLength(before)

    const setId = await written(ann.events, 'tag_set', { name: 'Colours' })
    expect(message(await write(ann.events, 'tag', { name: 'pink', colorCode: 'pink', tagSetId: setId }))).toMatch(/^invalid input: data\.colorCode: /)
    expect(message(await write(ann.events, 'tag', { name: 'loose' }))).toMatch(/^invalid input: data\.tagSetId: required/)
    expect(message(await write(ann.events, 'tag', { name: 'lost', tagSetId: 999 }))).toBe('invalid input: data.tagSetId: tag_set row 999 does not exist')
    expect(message(await write(ann.events, 'tag_set', { id: setId, tags: [{ name: 'elsewhere', tagSetId: setId + 1 }] }))).toMatch(/^invalid input: data\.tags\.0\.tagSetId: /)
    expect(message(await write(ann.events, 'tag_set', { id: setId, tags: { name: 'not a list' } }))).toMatch(/^invalid input: data\.tags: /)
    expect(message(await write(ann.events, 'tag_set', { id: setId, tags: [{ name: 'x', shade: 'dark' }] }))).toBe('invalid input: data.tags.0.shade: table tag has no column "shade"')
    expect(await written(ann.events, 'tag', { name: 'direct', colorCode: 'success', tagSetId: setId })).toEqual(expect.any(Number))
  })

  it('shows own and public tag sets and tags; publishing a set publishes its tags, deleting it deletes them', async () => {
    await subscribe(ben.events)
    const setId = await written(ann.events, 'tag_set', { name: 'Shared later', tags: [{ name: 'One' }, { name: 'Two' }] })
    const benSet = await written(ben.events, 'tag_set', { name: 'Ben own' })
    await ben.events.waitForRow('tag_set', 'his own set', (row) => row.id === benSet)
    // Pushes arrive in commit order: ann's private set and tags would have come before.
    expect(ben.events.rowsOf('tag_set').map((row) => row.id)).toEqual([benSet])
    expect(ben.events.rowsOf('tag')).toEqual([])

    await written(ann.events, 'tag_set', { id: setId, public: true })
    await ben.events.waitForRow('tag_set', 'the published set', (row) => row.id === setId && row.public === true)
    await ben.events.waitForRow('tag', 'the published tags', (row) => row.name === 'Two' && row.public === true)
    expect(tagsInDb().filter((row) => row.tagSetId === setId).map((row) => row.public)).toEqual([1, 1])

    // A fresh subscription sees the public set and its tags.
    const cid = await user('cid')
    await subscribe(cid.events)
    expect(cid.events.rowsOf('tag_set').map((row) => row.name)).toEqual(['Shared later'])
    expect(cid.events.rowsOf('tag').map((row) => row.name)).toEqual(['One', 'Two'])

    // Others may read a public set but not add to it or change it.
    expect(message(await write(ben.events, 'tag', { name: 'intruder', tagSetId: setId }))).toBe('you may only add tag rows to tag_set rows you own')
    expect(message(await write(ben.events, 'tag_set', { id: setId, tags: [{ name: 'intruder' }] }))).toBe('you may only change your own tag_set rows')
    const [one] = tagsInDb()
    expect(message(await write(ben.events, 'tag', { id: one!.id, name: 'renamed' }))).toBe('you may only change your own tag rows')
    expect(message(await write(ben.events, 'tag_set', { id: 999, name: 'x' }))).toBe('tag_set row 999 does not exist')
    expect(tagsInDb().map((row) => row.name)).toEqual(['One', 'Two'])

    await written(ann.events, 'tag_set', { id: setId, deleted: true })
    await ben.events.waitForRow('tag_set', 'the deleted set', (row) => row.id === setId && row.deleted === true)
    await ben.events.waitForRow('tag', 'the deleted tags', (row) => row.id === one!.id && row.deleted === true)
    expect(tagsInDb().map((row) => row.deleted)).toEqual([1, 1])
    // Tags cannot go into a deleted set.
    expect(message(await write(ann.events, 'tag', { name: 'late', tagSetId: setId }))).toBe(`invalid input: data.tagSetId: tag_set row ${setId} does not exist`)
  })

  it('keeps private tags of others out of nested writes', async () => {
    const benSet = await written(ben.events, 'tag_set', { name: 'Ben', tags: [{ name: 'Ben private' }] })
    const [benTag] = tagsInDb()
    const annSet = await written(ann.events, 'tag_set', { name: 'Ann' })
    expect(message(await write(ann.events, 'tag_set', { id: annSet, tags: [{ id: benTag!.id, name: 'taken' }] }))).toBe(`tag row ${benTag!.id} does not exist`)
    expect(tagsInDb()).toEqual([expect.objectContaining({ name: 'Ben private', tagSetId: benSet })])
    // Over HTTP the same rules hold.
    const token = await login(server.url, 'ann', 'ann-password')
    const { body } = await rpc(server.url, 'appDataUpdate', { table: 'tag', data: { name: 'into ben', tagSetId: benSet } }, token)
    expect(body).toEqual({ success: false, message: `invalid input: data.tagSetId: tag_set row ${benSet} does not exist` })
  })
})
