import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { annotationsDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, createDocument, login, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

type Entry = Record<string, unknown>

/** Adds an entry the way a browser client would: a flat Y.Map of JSON values. */
function addEntry(doc: Y.Doc, collection: string, id: string, fields: Entry): void {
  const entry = new Y.Map<unknown>()
  for (const [field, value] of Object.entries(fields)) entry.set(field, value)
  doc.getMap(collection).set(id, entry)
}

const entries = (doc: Y.Doc, collection = 'annotations') => doc.getMap(collection).toJSON() as Record<string, Entry>

describe('ownership guard on annotations docs', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let alice: { token: string; userId: number }
  let bob: { token: string; userId: number }
  let docName: string
  const open: WebsocketProvider[] = []

  const connect = async (token: string) => {
    const provider = await syncedProvider(syncUrl(server), docName, { params: { token } })
    open.push(provider)
    return provider
  }
  const serverView = () => entries(server.engine.inspect(docName)!.doc)
  /** Every replica and the server hold the same entries, and they equal `expected`. */
  const converged = (expected: Record<string, Entry>, ...providers: WebsocketProvider[]) => () =>
    [serverView(), ...providers.map((p) => entries(p.doc))].every((view) => JSON.stringify(view) === JSON.stringify(expected))

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_UNLOAD_GRACE_MS: '60000' })
    alice = await registerAndLogin(server.url, 'alice')
    bob = await registerAndLogin(server.url, 'bob')
    docName = annotationsDocName(await createDocument(server.url, alice.token, { name: 'paper', public: true }))
  })
  afterEach(async () => {
    closeProviders(...open.splice(0))
    await server.close()
    tmp.remove()
  })

  async function aliceWithAnEntry() {
    const a = await connect(alice.token)
    addEntry(a.doc, 'annotations', 'a1', { userId: alice.userId, text: 'Alice wrote this', tagId: 1 })
    await waitFor('the server to hold it', () => serverView().a1?.text === 'Alice wrote this')
    return a
  }

  it('lets users create, edit and delete their own entries', async () => {
    const a = await aliceWithAnEntry()
    const b = await connect(bob.token)
    addEntry(b.doc, 'comments', 'c1', { userId: bob.userId, text: 'Bob comments', annotationId: 'a1' })
    ;(a.doc.getMap('annotations').get('a1') as Y.Map<unknown>).set('text', 'Alice edited this')
    await waitFor('both changes everywhere', () => entries(a.doc, 'comments').c1?.text === 'Bob comments' && entries(b.doc).a1?.text === 'Alice edited this')
    b.doc.getMap('comments').delete('c1')
    await waitFor('the deletion everywhere', () => !('c1' in entries(a.doc, 'comments')))
  })

  it('undoes an edit of someone else’s entry on every replica, the offender’s included', async () => {
    const a = await aliceWithAnEntry()
    const b = await connect(bob.token)
    await waitFor('bob to have the entry', () => entries(b.doc).a1 !== undefined)
    ;(b.doc.getMap('annotations').get('a1') as Y.Map<unknown>).set('text', 'Bob was here')
    const expected = { a1: { userId: alice.userId, text: 'Alice wrote this', tagId: 1 } }
    await waitFor('every replica to converge to Alice’s text', converged(expected, a, b))
  })

  it('restores someone else’s entry that was deleted', async () => {
    const a = await aliceWithAnEntry()
    const b = await connect(bob.token)
    await waitFor('bob to have the entry', () => entries(b.doc).a1 !== undefined)
    b.doc.getMap('annotations').delete('a1')
    await waitFor('the entry to come back everywhere', converged({ a1: { userId: alice.userId, text: 'Alice wrote this', tagId: 1 } }, a, b))
  })

  it('removes an entry created in someone else’s name, and one taken over by changing its owner', async () => {
    const a = await aliceWithAnEntry()
    const b = await connect(bob.token)
    addEntry(b.doc, 'annotations', 'forged', { userId: alice.userId, text: 'Alice never wrote this' })
    addEntry(b.doc, 'annotations', 'mine', { userId: bob.userId, text: 'Bob’s own' })
    await waitFor('bob’s own entry to arrive', () => entries(a.doc).mine !== undefined)
    ;(b.doc.getMap('annotations').get('mine') as Y.Map<unknown>).set('userId', alice.userId)
    const expected = {
      a1: { userId: alice.userId, text: 'Alice wrote this', tagId: 1 },
      mine: { userId: bob.userId, text: 'Bob’s own' },
    }
    await waitFor('forgeries to be undone everywhere', converged(expected, a, b))
  })

  it('undoes a forged edit made offline, once the offender reconnects', async () => {
    const a = await aliceWithAnEntry()
    const b = await connect(bob.token)
    await waitFor('bob to have the entry', () => entries(b.doc).a1 !== undefined)
    b.disconnect()
    ;(b.doc.getMap('annotations').get('a1') as Y.Map<unknown>).set('text', 'offline forgery')
    b.doc.getMap('annotations').delete('a1')
    addEntry(b.doc, 'annotations', 'b-offline', { userId: bob.userId, text: 'written offline' })
    b.connect()
    const expected = {
      a1: { userId: alice.userId, text: 'Alice wrote this', tagId: 1 },
      'b-offline': { userId: bob.userId, text: 'written offline' },
    }
    await waitFor('the forgery to be undone and the own entry kept', converged(expected, a, b))
  })

  it('lets administrators change any entry, and survives a restart in the protected state', async () => {
    const a = await aliceWithAnEntry()
    const admin = await connect(await login(server.url, 'admin', adminPassword))
    await waitFor('admin to have the entry', () => entries(admin.doc).a1 !== undefined)
    ;(admin.doc.getMap('annotations').get('a1') as Y.Map<unknown>).set('text', 'moderated')
    await waitFor('the moderation everywhere', converged({ a1: { userId: alice.userId, text: 'moderated', tagId: 1 } }, a, admin))

    const b = await connect(bob.token)
    ;(b.doc.getMap('annotations').get('a1') as Y.Map<unknown>).set('text', 'Bob again')
    await waitFor('the repair', converged({ a1: { userId: alice.userId, text: 'moderated', tagId: 1 } }, a, b))
    closeProviders(...open.splice(0))
    await server.close()
    server = await startTestServer(tmp.dbPath)
    const fresh = await syncedProvider(syncUrl(server), docName, { params: { token: alice.token } })
    open.push(fresh)
    expect(entries(fresh.doc)).toEqual({ a1: { userId: alice.userId, text: 'moderated', tagId: 1 } })
  })
})
