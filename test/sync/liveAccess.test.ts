import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentDocName } from '../../schema/index.js'
import { createClient, type DocAccessChange } from '../../clients/index.js'
import type { FolioServer } from '../../server/index.js'
import { encodeSyncUpdate } from '../../sync/index.js'
import { adminPassword, createDocument, login, post, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, frameKind, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir, withServer } from '../helpers/server.js'

/** Access is decided again on open sockets when what decided it changes, not only at the upgrade. */
describe('live access on open sockets', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let admin: string

  beforeAll(async () => {
    tmp = tempDir()
    // A sweep far away: everything below must happen at once, not at the next sweep.
    server = await startTestServer(tmp.dbPath, { FOLIO_ACCESS_RECHECK_SECONDS: '3600' })
    admin = await login(server.url, 'admin', adminPassword)
  })
  afterAll(async () => {
    await server.close()
    tmp.remove()
  })

  const eventsSocket = (token: string) => openRaw(`${server.url.replace(/^http/, 'ws')}/events?token=${token}`)

  it('closes the sync and events sockets of a session as soon as it logs out', async () => {
    const ben = await registerAndLogin(server.url, 'ben-logout')
    const sync = openRaw(`${syncUrl(server)}/notes:ben?token=${ben.token}`)
    const events = eventsSocket(ben.token)
    await Promise.all([sync.opened, events.opened])

    await post(server.url, '/auth/logout', {}, ben.token)
    expect(await sync.closed).toEqual({ code: 4403, reason: 'access to "notes:ben" was withdrawn' })
    expect(await events.closed).toEqual({ code: 4401, reason: 'token expired or revoked' })
  })

  it("closes a reader's document and annotations sockets when the document turns private, and leaves the owner's", async () => {
    const ann = await registerAndLogin(server.url, 'ann-private')
    const ben = await registerAndLogin(server.url, 'ben-private')
    const documentId = await createDocument(server.url, ann.token, { name: 'was public', public: true })
    const content = openRaw(`${syncUrl(server)}/document:${documentId}?token=${ben.token}`)
    const annotations = openRaw(`${syncUrl(server)}/annotations:${documentId}?token=${ben.token}`)
    const owner = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: ann.token } })
    await Promise.all([content.opened, annotations.opened])

    const { body } = await rpc(server.url, 'documentUpdate', { id: documentId, public: false }, ann.token)
    expect(body.success).toBe(true)
    expect(await content.closed).toEqual({ code: 4403, reason: `access to "document:${documentId}" was withdrawn` })
    expect((await annotations.closed).code).toBe(4403)

    owner.doc.getText('content').insert(0, 'still mine')
    const again = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: ann.token } })
    await waitFor('the owner to keep writing', () => again.doc.getText('content').toString() === 'still mine')
    closeProviders(owner, again)
  })

  it('takes write access away when an admin role is removed, tells the client, and stores nothing it sends after', async () => {
    const ann = await registerAndLogin(server.url, 'ann-role')
    const carol = await registerAndLogin(server.url, 'carol-role')
    const documentId = await createDocument(server.url, ann.token, { name: 'public paper', public: true })
    const granted = await rpc<number>(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { userId: carol.userId, userRoleId: 1 } }, admin)
    if (!granted.body.success) throw new Error(granted.body.message)

    const client = createClient({ url: server.url, WebSocket, token: carol.token })
    const { doc, provider, onAccessChange } = client.openDoc(documentDocName(documentId), { disableBc: true })
    const changes: DocAccessChange[] = []
    onAccessChange((change) => changes.push(change))
    await waitFor('carol to sync', () => provider.synced)
    doc.getText('content').insert(0, 'as admin ')
    const reader = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: ann.token } })
    await waitFor('the admin edit to arrive', () => reader.doc.getText('content').toString() === 'as admin ')

    await rpc(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { id: granted.body.data, deleted: true } }, admin)
    await waitFor('carol to be told she may only read', () => changes.length > 0)
    expect(changes).toEqual([{ access: 'read', reason: `write access to "document:${documentId}" was withdrawn` }])
    doc.getText('content').insert(0, 'too late ')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.engine.read(documentDocName(documentId), (live) => live.getText('content').toString())).toBe('as admin ')
    client.close()
    closeProviders(reader)
  })
})

describe('a token that runs out while its sockets are open', () => {
  it('closes them within the re-check interval', async () => {
    await withServer({ FOLIO_TOKEN_TTL_SECONDS: '2', FOLIO_ACCESS_RECHECK_SECONDS: '1' }, async (server) => {
      const ben = await registerAndLogin(server.url, 'ben-expiry')
      // The SDK would keep the session alive; this test is about a token that runs out.
      const client = createClient({ url: server.url, WebSocket, token: ben.token, keepSessionAlive: false })
      const { provider, onAccessChange } = client.openDoc('notes:expiring', { disableBc: true })
      const changes: DocAccessChange[] = []
      onAccessChange((change) => changes.push(change))
      await waitFor('the doc to sync', () => provider.synced)
      const events = openRaw(`${server.url.replace(/^http/, 'ws')}/events?token=${ben.token}`)
      await events.opened

      expect((await events.closed).code).toBe(4401)
      await waitFor('the doc socket to end', () => changes.length > 0, 5_000)
      // The SDK's docs share one /mux socket, which ends with the session as the events socket does.
      expect(changes).toEqual([{ access: 'none', code: 4401, reason: 'token expired or revoked: log in again' }])
      expect(provider.shouldConnect).toBe(false)
      client.close()
    })
  })
})

describe('an update sent on a connection just narrowed to read', () => {
  it('is answered with permission-denied and not applied', async () => {
    await withServer({ FOLIO_ACCESS_RECHECK_SECONDS: '3600' }, async (server) => {
      const admin = await login(server.url, 'admin', adminPassword)
      const ann = await registerAndLogin(server.url, 'ann-narrow')
      const dave = await registerAndLogin(server.url, 'dave-narrow')
      const documentId = await createDocument(server.url, ann.token, { name: 'narrowed', public: true })
      const granted = await rpc<number>(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { userId: dave.userId, userRoleId: 1 } }, admin)
      if (!granted.body.success) throw new Error(granted.body.message)
      const raw = openRaw(`${syncUrl(server)}/document:${documentId}?token=${dave.token}`)
      await raw.opened
      await rpc(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { id: granted.body.data, deleted: true } }, admin)
      await waitFor('the downgrade notice', () => raw.frames.some((frame) => frameKind(frame).type === 2))

      const edit = new Y.Doc()
      edit.getText('content').insert(0, 'sneaky')
      raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)))
      await waitFor('a second permission-denied', () => raw.frames.filter((frame) => frameKind(frame).type === 2).length === 2)
      expect(server.engine.read(documentDocName(documentId), (doc) => doc.getText('content').toString())).toBe('')
      raw.ws.close()
    })
  })
})
