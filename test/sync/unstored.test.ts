import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { rpc } from '../helpers/accounts.js'
import { closeProviders, openProvider, syncedProvider, waitFor } from '../helpers/clients.js'
import { failWrites, startServerWithUsers } from '../helpers/rooms.js'
import { storedSeqs, syncUrl } from '../helpers/server.js'

/** While the store refuses writes (a full disk, a read-only file), nobody is shown what is not stored. */
describe('a server whose store refuses writes', () => {
  let server: FolioServer
  let dbPath: string
  let token: string
  let stop: () => Promise<void>

  beforeAll(async () => {
    ;({ server, dbPath, adminToken: token, stop } = await startServerWithUsers([]))
  })
  afterAll(() => stop())

  it('tells the writer, shows connecting clients only stored state, and stores the edit once its client resends it', async () => {
    const docName = 'notes:disk-full'
    const writer = await syncedProvider(syncUrl(server), docName, { params: { token } })
    const reader = await syncedProvider(syncUrl(server), docName, { params: { token } })
    writer.doc.getText('content').insert(0, 'stored. ')
    await waitFor('the first edit to reach the reader', () => reader.doc.getText('content').toString() === 'stored. ')

    const restore = failWrites(dbPath, 'refuse_updates', 'BEFORE INSERT ON doc_update')
    const closes: number[] = []
    writer.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0))
    writer.doc.getText('content').insert(8, 'not stored yet')
    await waitFor('the writer to be told its edit was not stored', () => closes.includes(1013))

    const newcomer = openProvider(syncUrl(server), docName, { params: { token } })
    await waitFor('the newcomer to sync', () => newcomer.synced)
    expect(newcomer.doc.getText('content').toString()).toBe('stored. ')
    expect(reader.doc.getText('content').toString()).toBe('stored. ')
    expect(server.engine.read(docName, (doc) => doc.getText('content').toString())).toBe('stored. ')

    restore()
    // The stock provider reconnects on its own and sends what the server lacks.
    await waitFor('the edit to be stored and shown once the store works', () => newcomer.doc.getText('content').toString() === 'stored. not stored yet', 10_000)
    expect(reader.doc.getText('content').toString()).toBe('stored. not stored yet')
    expect(storedSeqs(dbPath, docName).logged).toBeGreaterThanOrEqual(2)
    closeProviders(writer, reader, newcomer)
  })

  it('answers a documentEdit it could not store with 503, and that edit never lands later', async () => {
    const created = await rpc<{ id: number }>(server.url, 'documentCreate', { name: 'Refused essay' }, token)
    if (!created.body.success) throw new Error(created.body.message)
    const documentId = created.body.data.id
    const docName = documentDocName(documentId)
    const edit = (text: string) => rpc(server.url, 'documentEdit', { documentId, delta: { ops: [{ insert: text }] } }, token)
    expect((await edit('kept ')).status).toBe(200)

    const restore = failWrites(dbPath, 'refuse_edit', 'BEFORE INSERT ON doc_update')
    const refused = await fetch(`${server.url}/rpc/documentEdit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ documentId, delta: { ops: [{ insert: 'refused ' }] } }),
    })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect(await refused.json()).toEqual({ success: false, message: 'the change could not be stored: the database refused the write; try again later' })
    restore()

    expect((await edit('after ')).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const reader = await syncedProvider(syncUrl(server), docName, { params: { token } })
    expect(reader.doc.getText('content').toString()).toBe('after kept ')
    expect(storedSeqs(dbPath, docName).logged).toBe(2)
    closeProviders(reader)
  })
})
