import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { FolioServer } from '../../server/index.js'
import { closeProviders, frameKind, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

describe('access through the authorize hook (development policy)', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, {
      FOLIO_DEV_TOKENS: 'writer-token=write,reader-token=read',
      FOLIO_ANONYMOUS_ACCESS: 'none',
    })
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  it('lets a read connection receive every update while its own are dropped with permission-denied', async () => {
    const writer = await syncedProvider(syncUrl(server), 'document:ro', { params: { token: 'writer-token' } })
    const reader = await syncedProvider(syncUrl(server), 'document:ro', { params: { token: 'reader-token' } })
    writer.doc.getText('content').insert(0, 'from the writer')
    await waitFor('reader to receive', () => reader.doc.getText('content').toString() === 'from the writer')

    const raw = openRaw(`${syncUrl(server)}/document:ro?token=reader-token`)
    await raw.opened
    const forged = new Y.Doc()
    forged.getText('content').insert(0, 'forged ')
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)))
    await waitFor('permission denied', () => raw.frames.some((f) => frameKind(f).type === 2))
    const denied = frameKind(raw.frames.find((f) => frameKind(f).type === 2)!)
    expect(denied.subtype).toBe(0)
    expect(decoding.readVarString(denied.decoder)).toMatch(/read-only/)

    // The server state and the other clients are unchanged, and nothing was stored.
    const live = server.engine.registry.get('document:ro')!
    expect(live.doc.getText('content').toString()).toBe('from the writer')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(writer.doc.getText('content').toString()).toBe('from the writer')
    expect(raw.ws.readyState).toBe(raw.ws.OPEN)
    raw.ws.close()
    closeProviders(writer, reader)
  })

  it('drops edits a stock read-only provider makes locally', async () => {
    const reader = await syncedProvider(syncUrl(server), 'document:ro2', { params: { token: 'reader-token' } })
    const writer = await syncedProvider(syncUrl(server), 'document:ro2', { params: { token: 'writer-token' } })
    reader.doc.getText('content').insert(0, 'nope')
    writer.doc.getText('content').insert(0, 'yes')
    await waitFor('reader to get the writer edit', () => reader.doc.getText('content').toString().includes('yes'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(writer.doc.getText('content').toString()).toBe('yes')
    expect(server.engine.registry.get('document:ro2')!.doc.getText('content').toString()).toBe('yes')
    closeProviders(reader, writer)
  })

  it('does not warn a read-only client that only syncs what it already has', async () => {
    const writer = await syncedProvider(syncUrl(server), 'document:ro3', { params: { token: 'writer-token' } })
    writer.doc.getText('content').insert(0, 'abcdef')
    writer.doc.getText('content').delete(1, 3)
    const warn = vi.spyOn(console, 'warn')
    // The reader starts from the same state, deletions included, so its sync step 2 changes nothing.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
    const reader = await syncedProvider(syncUrl(server), 'document:ro3', { doc, params: { token: 'reader-token' } })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/Permission denied/)
    warn.mockRestore()
    closeProviders(writer, reader)
  })

  it('closes a connection with an unknown token with 4403 and a reason', async () => {
    const raw = openRaw(`${syncUrl(server)}/document:x?token=wrong`)
    const { code, reason } = await raw.closed
    expect(code).toBe(4403)
    expect(reason).toMatch(/denied/)
  })

  it('closes a connection without a token when anonymous access is off', async () => {
    const raw = openRaw(`${syncUrl(server)}/document:x`)
    expect((await raw.closed).code).toBe(4403)
    expect(server.engine.registry.loadedCount).toBe(0)
  })
})
