import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { closeProviders, frameKind, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

describe('sync endpoint with stock y-websocket clients', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let token: string

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    token = await login(server.url, 'admin', adminPassword)
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  it('syncs edits both ways and gives a late joiner the whole document', async () => {
    const a = await syncedProvider(syncUrl(server), 'notes:1', { params: { token } })
    const b = await syncedProvider(syncUrl(server), 'notes:1', { params: { token } })
    a.doc.getText('content').insert(0, 'hello')
    await waitFor('b to see a', () => b.doc.getText('content').toString() === 'hello')
    b.doc.getText('content').insert(5, ' world')
    await waitFor('a to see b', () => a.doc.getText('content').toString() === 'hello world')

    const late = await syncedProvider(syncUrl(server), 'notes:1', { params: { token } })
    expect(late.doc.getText('content').toString()).toBe('hello world')
    closeProviders(a, b, late)
  })

  it('keeps documents apart and serves many at once', async () => {
    const providers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => syncedProvider(syncUrl(server), `room-${i}`, { params: { token } })),
    )
    providers.forEach((p, i) => p.doc.getText('content').insert(0, `doc ${i}`))
    const readers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => syncedProvider(syncUrl(server), `room-${i}`, { params: { token } })),
    )
    for (const [i, reader] of readers.entries()) {
      await waitFor(`reader ${i}`, () => reader.doc.getText('content').toString() === `doc ${i}`)
    }
    expect(server.engine.stats().loadedDocs).toBe(20)
    closeProviders(...providers, ...readers)
  })

  it('relays awareness and removes a client state when it disconnects', async () => {
    const a = await syncedProvider(syncUrl(server), 'notes:aw', { params: { token } })
    const b = await syncedProvider(syncUrl(server), 'notes:aw', { params: { token } })
    a.awareness.setLocalStateField('user', { name: 'Ada' })
    const aId = a.doc.clientID
    await waitFor('b to see Ada', () => (b.awareness.getStates().get(aId) as { user?: { name: string } })?.user?.name === 'Ada')

    a.disconnect()
    await waitFor('Ada to be removed at b', () => !b.awareness.getStates().has(aId))
    closeProviders(a, b)
  })

  it('answers query-awareness with every known state', async () => {
    const a = await syncedProvider(syncUrl(server), 'notes:qa', { params: { token } })
    a.awareness.setLocalStateField('user', { name: 'Grace' })
    await waitFor('server to know Grace', () =>
      (server.engine.inspect('notes:qa')?.awareness.getStates().size ?? 0) > 0,
    )
    const raw = openRaw(`${syncUrl(server)}/notes:qa?token=${token}`)
    await raw.opened
    const before = raw.frames.length
    const query = encoding.createEncoder()
    encoding.writeVarUint(query, 3)
    raw.ws.send(encoding.toUint8Array(query))
    await waitFor('an awareness answer', () => raw.frames.slice(before).some((f) => frameKind(f).type === 1))
    const answer = raw.frames.slice(before).find((f) => frameKind(f).type === 1)!
    expect(new TextDecoder().decode(answer)).toContain('Grace')
    raw.ws.close()
    closeProviders(a)
  })

  it('does not send an update back to the client that made it', async () => {
    const a = await syncedProvider(syncUrl(server), 'notes:echo', { params: { token } })
    const raw = openRaw(`${syncUrl(server)}/notes:echo?token=${token}`)
    await raw.opened
    const received: number[] = []
    a.ws?.addEventListener('message', () => received.push(Date.now()))
    a.doc.getText('content').insert(0, 'x')
    await waitFor('the other client to get the update', () =>
      raw.frames.some((f) => frameKind(f).type === 0 && frameKind(f).subtype === 2),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(received).toHaveLength(0)
    raw.ws.close()
    closeProviders(a)
  })

  it('unloads a document after its last client leaves and the grace period passes', async () => {
    const a = await syncedProvider(syncUrl(server), 'notes:unload', { params: { token } })
    a.doc.getText('content').insert(0, 'kept')
    await waitFor('the edit to reach the server', () =>
      server.engine.inspect('notes:unload')?.doc.getText('content').toString() === 'kept',
    )
    closeProviders(a)
    await waitFor('the doc to unload', () => server.engine.inspect('notes:unload') === undefined)

    const b = await syncedProvider(syncUrl(server), 'notes:unload', { params: { token } })
    expect(b.doc.getText('content').toString()).toBe('kept')
    closeProviders(b)
  })

  it('converges when two clients edit the same place concurrently', async () => {
    const a = await syncedProvider(syncUrl(server), 'notes:race', { params: { token } })
    const b = await syncedProvider(syncUrl(server), 'notes:race', { params: { token } })
    for (let i = 0; i < 200; i++) {
      a.doc.getText('content').insert(0, 'a')
      b.doc.getText('content').insert(0, 'b')
    }
    const text = (d: Y.Doc) => d.getText('content').toString()
    await waitFor('convergence', () => text(a.doc).length === 400 && text(a.doc) === text(b.doc))
    closeProviders(a, b)
  })
})
