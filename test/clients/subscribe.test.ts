import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioClient, Row } from '../../clients/index.js'
import { RpcError } from '../../clients/index.js'
import { type Harness, recorder, startHarness, waitFor } from './harness.js'

/** Writes a document row through the generic write event; answers its id. */
async function writeDocument(client: FolioClient, data: Record<string, unknown>): Promise<number> {
  return (await client.rpc('appDataUpdate', { table: 'document', data })) as number
}

const names = (rows: Row[] | undefined) => (rows ?? []).map((row) => row.name).sort()

describe('client SDK: subscribe keeps a local row store', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  it('gets the snapshot, then live creates and updates merged by id, and drops deleted rows', async () => {
    const writer = await h.user('wanda')
    const existing = await writeDocument(writer, { name: 'existing', public: false })

    const admin = await h.admin()
    const rows = recorder<Row[]>()
    const subscription = admin.subscribe('document', undefined, rows.cb)
    await subscription.ready
    await waitFor('the snapshot', () => rows.calls.length > 0)
    expect(rows.last).toHaveLength(1)
    expect(rows.last![0]).toMatchObject({ id: existing, name: 'existing', public: false })

    const created = await writeDocument(writer, { name: 'draft', public: false })
    await waitFor('the created row', () => names(rows.last).includes('draft'))
    const createdRow = rows.last!.find((row) => row.id === created)!
    expect(createdRow).toMatchObject({ name: 'draft', userId: expect.any(Number), hash: expect.any(String) })

    await writeDocument(writer, { id: created, name: 'final', public: true })
    await waitFor('the updated row', () => names(rows.last).includes('final'))
    expect(rows.last).toHaveLength(2)
    // Columns the update did not touch are still there: the row was merged, not replaced by a partial one.
    expect(rows.last!.find((row) => row.id === created)).toMatchObject({ name: 'final', public: true, hash: createdRow.hash })

    await writeDocument(writer, { id: existing, deleted: true })
    await waitFor('the deleted row to go', () => rows.last!.length === 1)
    expect(names(rows.last)).toEqual(['final'])
  })

  it('delivers an empty snapshot, and only the rows matching each subscription filter', async () => {
    const client = await h.user('fred')
    const all = recorder<Row[]>()
    const published = recorder<Row[]>()
    await client.subscribe('document', null, all.cb).ready
    await client.subscribe('document', [{ key: 'public', value: true }], published.cb).ready
    expect(all.calls).toEqual([[]])
    expect(published.calls).toEqual([[]])

    await writeDocument(client, { name: 'private', public: false })
    await writeDocument(client, { name: 'shared', public: true })
    await waitFor('both rows', () => all.last!.length === 2)
    await waitFor('the public row', () => published.last!.length === 1)
    expect(names(published.last)).toEqual(['shared'])
    // The filtered view was not handed the private row on the way.
    expect(published.calls.every((call) => call.every((row) => row.public === true))).toBe(true)
  })

  it('stops the subscription on the server when unsubscribed', async () => {
    const client = await h.user('uma')
    const rows = recorder<Row[]>()
    const pushes = recorder<unknown>()
    client.on('documentRefresh', pushes.cb)
    const unsubscribe = client.subscribe('document', undefined, rows.cb)
    await unsubscribe.ready
    await writeDocument(client, { name: 'one', public: false })
    await waitFor('the row', () => rows.last?.length === 1)
    const pushesBefore = pushes.calls.length
    const callsBefore = rows.calls.length

    unsubscribe()
    // The server pushes a write's rows before it answers the write on the same socket.
    await writeDocument(client, { name: 'two', public: false })
    expect(rows.calls.length).toBe(callsBefore)
    expect(pushes.calls.length).toBe(pushesBefore)
  })

  it('reports a subscription the server refuses through ready and onError', async () => {
    const client = await h.user('rita')
    const errors = recorder<RpcError>()
    const subscription = client.subscribe('document', [{ key: 'noSuchColumn', value: 1 }], () => {}, { onError: errors.cb })
    const error = await subscription.ready.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).message).toMatch(/noSuchColumn/)
    expect(errors.calls).toEqual([error])
  })

  it('waits for the events socket: a subscription made before login starts after it', async () => {
    await h.user('lena').then((c) => c.close())
    const client = h.client()
    const rows = recorder<Row[]>()
    const subscription = client.subscribe('document', undefined, rows.cb)
    await client.login('lena', 'lena-password')
    await subscription.ready
    expect(rows.calls).toEqual([[]])
    await writeDocument(client, { name: 'mine', public: false })
    await waitFor('the row', () => names(rows.last).includes('mine'))
  })
})
