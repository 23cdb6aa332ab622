import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { rpc } from '../helpers/accounts.js'
import { useEventsServer } from '../helpers/eventsServer.js'

type Row = Record<string, unknown>

describe('appData and appDataByHash (the original’s reads without a subscription)', () => {
  const live = useEventsServer()

  it('answer and push only the rows the caller may see, never a secret column, and a hidden row like a missing one', async () => {
    const ann = await live.connectUser('ann')
    const ben = await live.connectUser('ben')
    const admin = await live.connectAdmin()
    const own = await ann.events.ok<Row & { id: number; hash: string }>('documentCreate', { name: 'ann private' })
    const shared = await ann.events.ok<Row & { id: number; hash: string }>('documentCreate', { name: 'ann public' })
    await ann.events.ok('documentPublish', { documentId: shared.id })

    // Users: ann sees her own row only; the admin sees everyone. No password hash in any frame.
    const annUsers = await ann.events.ok<Row[]>('appData', { table: 'user' })
    expect(annUsers.map((row) => row.id)).toEqual([ann.userId])
    expect(ann.events.rowsOf('user').map((row) => row.id)).toEqual([ann.userId])
    const everyone = await admin.ok<Row[]>('appData', { table: 'user' })
    expect(everyone.map((row) => row.userName)).toEqual(expect.arrayContaining(['admin', 'ann', 'ben']))
    const db = new Database(live.dbPath, { readonly: true })
    const passwordHashes = (db.prepare('SELECT password_hash AS hash FROM user WHERE password_hash IS NOT NULL').all() as { hash: string }[]).map((row) => row.hash)
    db.close()
    expect(passwordHashes.length).toBeGreaterThanOrEqual(3)
    for (const connection of [ann.events, admin]) {
      for (const text of connection.texts) {
        expect(text).not.toMatch(/passwordHash|password_hash/)
        for (const hash of passwordHashes) expect(text).not.toContain(hash)
      }
    }

    // Documents, filtered: ben gets ann's public one, not her private one.
    expect((await ben.events.ok<Row[]>('appData', { table: 'document', filter: [{ key: 'userId', value: ann.userId }] })).map((row) => row.id)).toEqual([shared.id])
    expect((await ann.events.ok<Row[]>('appData', { table: 'document', filter: [{ key: 'userId', value: ann.userId }] })).map((row) => row.id)).toEqual([own.id, shared.id])
    // Over HTTP the rows are the answer (there is no socket to push to).
    const overHttp = await rpc<Row[]>(live.server.url, 'appData', { table: 'document' }, ben.token)
    expect(overHttp.body).toMatchObject({ success: true, data: [{ id: shared.id }] })

    // By hash: the row for whoever may see it; a hidden row answers as a missing one.
    expect(await ann.events.ok<Row[]>('appDataByHash', { table: 'document', hash: own.hash })).toEqual([expect.objectContaining({ id: own.id, name: 'ann private' })])
    expect(ann.events.rowsOf('document').some((row) => row.id === own.id)).toBe(true)
    const hidden = await ben.events.call('appDataByHash', { table: 'document', hash: own.hash })
    const missing = await ben.events.call('appDataByHash', { table: 'document', hash: '00000000-0000-4000-8000-000000000000' })
    expect(hidden).toMatchObject({ success: false, message: `no document you may see has hash ${own.hash}` })
    expect(missing).toMatchObject({ success: false, message: 'no document you may see has hash 00000000-0000-4000-8000-000000000000' })
    expect(ben.events.rowsOf('document').some((row) => row.id === own.id)).toBe(false)

    // Inputs are checked: unknown tables (settings are none of them), columns, and tables without a hash.
    expect(await ann.events.call('appData', { table: 'setting' })).toMatchObject({ success: false, message: expect.stringMatching(/^invalid input: table: /) })
    expect(await ann.events.call('appData', { table: 'user', filter: [{ key: 'passwordHash', value: 'x' }] })).toMatchObject({ success: false, message: 'invalid input: filter.0.key: table user has no column "passwordHash"' })
    expect(await ann.events.call('appDataByHash', { table: 'tag', hash: 'x' })).toMatchObject({ success: false, message: 'invalid input: table: table tag has no hash column' })
    expect(await ann.events.call('appData', { table: 'document', include: ['count'] })).toMatchObject({ success: false, message: expect.stringMatching(/^invalid input: /) })
  })
})
