import Database from 'better-sqlite3'
import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { annotationsDocName, documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { encodeSyncUpdate } from '../../sync/index.js'
import { adminPassword, createDocument, login, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, frameKind, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

describe('sync access by login token and document rules', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let admin: string
  let alice: { token: string; userId: number }
  let bob: { token: string; userId: number }
  let privateDoc: number
  let publicDoc: number

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    admin = await login(server.url, 'admin', adminPassword)
    alice = await registerAndLogin(server.url, 'alice')
    bob = await registerAndLogin(server.url, 'bob')
    privateDoc = await createDocument(server.url, alice.token, { name: 'Private notes', public: false })
    publicDoc = await createDocument(server.url, alice.token, { name: 'Public paper', public: true })
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  it('lets the owner and admins write a private document and refuses everyone else', async () => {
    const name = documentDocName(privateDoc)
    const owner = await syncedProvider(syncUrl(server), name, { params: { token: alice.token } })
    const byAdmin = await syncedProvider(syncUrl(server), name, { params: { token: admin } })
    owner.doc.getText('content').insert(0, 'mine')
    await waitFor('the admin to see it', () => byAdmin.doc.getText('content').toString() === 'mine')
    byAdmin.doc.getText('content').insert(0, 'admin: ')
    await waitFor('both edits everywhere', () => owner.doc.getText('content').toString() === 'admin: mine' && byAdmin.doc.getText('content').toString() === 'admin: mine')

    const outsider = openRaw(`${syncUrl(server)}/${name}?token=${bob.token}`)
    expect(await outsider.closed).toEqual({ code: 4403, reason: `access to document "${name}" denied` })
    closeProviders(owner, byAdmin)
  })

  it('attributes stored updates to the account that made them', async () => {
    const owner = await syncedProvider(syncUrl(server), documentDocName(privateDoc), { params: { token: alice.token } })
    owner.doc.getText('content').insert(0, 'signed')
    const db = new Database(tmp.dbPath, { readonly: true })
    await waitFor('the update to be stored', () => db.prepare('select 1 from doc_update').all().length === 1)
    expect(db.prepare('select user_id from doc_update').get()).toEqual({ user_id: String(alice.userId) })
    db.close()
    closeProviders(owner)
  })

  it('gives readers of a public document every update but drops theirs with permission-denied', async () => {
    const name = documentDocName(publicDoc)
    const writer = await syncedProvider(syncUrl(server), name, { params: { token: alice.token } })
    const reader = await syncedProvider(syncUrl(server), name, { params: { token: bob.token } })
    writer.doc.getText('content').insert(0, 'from the owner')
    await waitFor('reader to receive', () => reader.doc.getText('content').toString() === 'from the owner')

    const raw = openRaw(`${syncUrl(server)}/${name}?token=${bob.token}`)
    await raw.opened
    const forged = new Y.Doc()
    forged.getText('content').insert(0, 'forged ')
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(forged)))
    await waitFor('permission denied', () => raw.frames.some((f) => frameKind(f).type === 2))
    const denied = frameKind(raw.frames.find((f) => frameKind(f).type === 2)!)
    expect(denied.subtype).toBe(0)
    expect(decoding.readVarString(denied.decoder)).toMatch(/read-only/)

    // The server state and the other clients are unchanged, and the reader stays connected.
    expect(server.engine.inspect(name)!.doc.getText('content').toString()).toBe('from the owner')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(writer.doc.getText('content').toString()).toBe('from the owner')
    expect(raw.ws.readyState).toBe(raw.ws.OPEN)
    raw.ws.close()
    closeProviders(writer, reader)
  })

  it('drops edits a stock read-only provider makes locally', async () => {
    const name = documentDocName(publicDoc)
    const reader = await syncedProvider(syncUrl(server), name, { params: { token: bob.token } })
    const writer = await syncedProvider(syncUrl(server), name, { params: { token: alice.token } })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    reader.doc.getText('content').insert(0, 'nope')
    writer.doc.getText('content').insert(0, 'yes')
    await waitFor('reader to get the writer edit', () => reader.doc.getText('content').toString().includes('yes'))
    await waitFor('the reader to be told', () => warn.mock.calls.flat().join(' ').includes('Permission denied'))
    warn.mockRestore()
    expect(writer.doc.getText('content').toString()).toBe('yes')
    expect(server.engine.inspect(name)!.doc.getText('content').toString()).toBe('yes')
    closeProviders(reader, writer)
  })

  it('does not warn a read-only client that only syncs what it already has', async () => {
    const name = documentDocName(publicDoc)
    const writer = await syncedProvider(syncUrl(server), name, { params: { token: alice.token } })
    writer.doc.getText('content').insert(0, 'abcdef')
    writer.doc.getText('content').delete(1, 3)
    const warn = vi.spyOn(console, 'warn')
    // The reader starts from the same state, deletions included, so its sync step 2 changes nothing.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
    const reader = await syncedProvider(syncUrl(server), name, { doc, params: { token: bob.token } })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/Permission denied/)
    warn.mockRestore()
    closeProviders(writer, reader)
  })

  it('lets every reader of a document write its annotations doc', async () => {
    const annotator = await syncedProvider(syncUrl(server), annotationsDocName(publicDoc), { params: { token: bob.token } })
    const entry = new Y.Map<unknown>()
    entry.set('userId', bob.userId)
    entry.set('text', 'note')
    annotator.doc.getMap('annotations').set('a1', entry)
    const stored = () => server.engine.inspect(annotationsDocName(publicDoc))?.doc.getMap('annotations').toJSON() as Record<string, { text: string }> | undefined
    await waitFor('the server to accept it', () => stored()?.a1?.text === 'note')
    closeProviders(annotator)
    const refused = openRaw(`${syncUrl(server)}/annotations:${privateDoc}?token=${bob.token}`)
    expect((await refused.closed).code).toBe(4403)
  })

  it.each([
    ['no token', () => ''],
    ['an unknown token', () => '?token=not-a-token'],
  ])('refuses %s with 4403', async (_label, query) => {
    const raw = openRaw(`${syncUrl(server)}/document:${publicDoc}${query()}`)
    expect((await raw.closed).code).toBe(4403)
    expect(server.engine.stats().loadedDocs).toBe(0)
  })

  it('refuses a revoked token', async () => {
    const { token } = await registerAndLogin(server.url, 'carol')
    await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    const raw = openRaw(`${syncUrl(server)}/notes:scratch?token=${token}`)
    expect((await raw.closed).code).toBe(4403)
  })

  it.each(['document:abc', `document:999999`, 'pad:room-1', 'annotations:1:session:x'])('refuses %s', async (name) => {
    const raw = openRaw(`${syncUrl(server)}/${name}?token=${admin}`)
    expect((await raw.closed).code).toBe(4403)
  })
})
