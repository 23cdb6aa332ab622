import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FolioServer } from '../../server/index.js'
import { encodeSyncStep1, encodeSyncUpdate } from '../../sync/index.js'
import { closeProviders, frameKind, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { storedSeqs, syncUrl } from '../helpers/server.js'

/**
 * Updates that Yjs decodes but throws on part-way through applying, both from Yjs client 2 on an
 * empty document. Applied to a bare Y.Doc, each leaves its first struct in the doc.
 */
const halfApplying = {
  /** 'x' into the root text `content`, then 'y' whose origin is (2, 5): past its own clock 1. */
  originPastOwnClock: Uint8Array.from(Buffer.from('01020200040107636f6e74656e740178840205017900', 'hex')),
  /** A deleted entry of the root map `m`, then a GC struct (found by fuzzing: refused only by Yjs itself). */
  deletedEntryThenGc: Uint8Array.from(Buffer.from('010202002101016d02070001000000', 'hex')),
}

// One server for every case below: each uses a doc of its own.
let server: FolioServer
let dbPath: string
let token: string
let stop: () => Promise<void>

beforeAll(async () => {
  ;({ server, dbPath, adminToken: token, stop } = await startServerWithUsers([]))
})
afterAll(() => stop())

describe('an update that fails part-way', () => {
  for (const [name, update] of Object.entries(halfApplying)) {
    it(`leaves no trace in the live doc, the log or any broadcast: ${name}`, async () => {
      const bare = new Y.Doc()
      expect(() => Y.applyUpdate(bare, update)).toThrow()
      expect(Y.getState(bare.store, 2)).toBeGreaterThan(0)

      const docName = `notes:atomic-${name}`
      const reader = await syncedProvider(syncUrl(server), docName, { params: { token } })
      const sender = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
      await sender.opened
      sender.ws.send(encodeSyncUpdate(update))
      const closed = await sender.closed
      expect(closed.code).toBe(1007)
      expect(closed.reason).toMatch(/^invalid payload: /)

      // The same client then sends a valid first struct: the server has nothing of client 2 yet.
      const honest = new Y.Doc()
      honest.clientID = 2
      honest.getText('content').insert(0, 'ok')
      const writer = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
      await writer.opened
      writer.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(honest)))
      await waitFor('the honest update to arrive', () => reader.doc.getText('content').toString() === 'ok')
      expect(reader.doc.getMap('m').size).toBe(0)
      expect(storedSeqs(dbPath, docName).logged).toBe(1)
      const late = await syncedProvider(syncUrl(server), docName, { params: { token } })
      expect(late.doc.getText('content').toString()).toBe('ok')
      expect(server.engine.read(docName, (doc) => Y.encodeStateAsUpdate(doc))).toEqual(Y.encodeStateAsUpdate(late.doc))
      writer.ws.close()
      closeProviders(reader, late)
    })
  }
})

/** One update of everything a fresh Y.Doc with Yjs client id 1 produces under `edit`. */
function asClientOne(edit: (text: Y.Text) => void): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 1
  edit(doc.getText('content'))
  return Y.encodeStateAsUpdate(doc)
}

describe('an update that reuses a Yjs client id for other content', () => {
  /** Sends `update` and a sync step 1 on a connection of its own; resolves with its close code, or 'open' once the step 1 is answered (so the update was handled). */
  async function send(docName: string, update: Uint8Array): Promise<number | 'open'> {
    const client = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
    await client.opened
    client.ws.send(encodeSyncUpdate(update))
    client.ws.send(encodeSyncStep1(new Y.Doc()))
    const answered = (): boolean => client.frames.some((frame) => frameKind(frame).type === 0 && frameKind(frame).subtype === 1)
    const outcome = await Promise.race([client.closed.then((closed) => closed.code), waitFor('the step 1 to be answered', answered).then(() => 'open' as const)])
    if (outcome === 'open') client.ws.close()
    return outcome
  }

  it('is refused before it is applied, so the live doc stays what its log rebuilds', async () => {
    const docName = 'notes:reused-client-id'
    // Both start with 'xyz' as client 1, then differ at clock 3: 'a' at the end, or 'bc' after 'x'.
    const first = asClientOne((text) => (text.insert(0, 'xyz'), text.insert(3, 'a')))
    const reusing = asClientOne((text) => (text.insert(0, 'xyz'), text.insert(1, 'bc')))
    expect(await send(docName, first)).toBe('open')
    const client = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
    await client.opened
    client.ws.send(encodeSyncUpdate(reusing))
    const closed = await client.closed
    expect(closed.code).toBe(1007)
    expect(closed.reason).toMatch(/client 1 at clock 3 is another struct here; do not reuse a Yjs client id$/)

    // In plain Yjs the same two updates leave a doc that its own update events rebuild differently.
    const bare = new Y.Doc()
    const events: Uint8Array[] = []
    bare.on('update', (update: Uint8Array) => events.push(update))
    Y.applyUpdate(bare, first)
    Y.applyUpdate(bare, reusing)
    const rebuilt = new Y.Doc()
    for (const update of events) Y.applyUpdate(rebuilt, update)
    expect(rebuilt.getText('content').toString()).not.toBe(bare.getText('content').toString())

    const late = await syncedProvider(syncUrl(server), docName, { params: { token } })
    expect(late.doc.getText('content').toString()).toBe('xyza')
    expect(storedSeqs(dbPath, docName).logged).toBe(1)
    closeProviders(late)
  })

  it('lets a client send again what it sent before, whole or with new edits after it', async () => {
    const docName = 'notes:resent'
    const typed = new Y.Doc()
    typed.clientID = 1
    const text = typed.getText('content')
    text.insert(0, 'xyz')
    const sent = Y.encodeStateAsUpdate(typed)
    expect(await send(docName, sent)).toBe('open')
    // A reconnecting client that re-sends its whole state: every struct is known, so Yjs skips them.
    expect(await send(docName, sent)).toBe('open')
    // Typing on, then re-sending from clock 0: Yjs merges 'xyz' and 'ab' into one struct that overlaps the doc's end.
    text.insert(3, 'ab')
    text.insert(0, '>')
    expect(await send(docName, Y.encodeStateAsUpdate(typed))).toBe('open')
    const late = await syncedProvider(syncUrl(server), docName, { params: { token } })
    expect(late.doc.getText('content').toString()).toBe('>xyzab')
    closeProviders(late)
  })
})

describe('an update that depends on edits the server does not have yet', () => {
  it('closes a stock client with 1013, whose reconnect then sends its edits with what they depend on', async () => {
    const docName = 'notes:ahead-of-server'
    const provider = await syncedProvider(syncUrl(server), docName, { params: { token } })
    const closes: number[] = []
    provider.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code))
    // Another tab's edit, handed over locally (y-websocket's BroadcastChannel does this) before that
    // tab's own socket delivered it: applied as the provider's own remote update, so not sent on.
    const otherTab = new Y.Doc()
    otherTab.getText('content').insert(0, 'from the other tab ')
    Y.applyUpdate(provider.doc, Y.encodeStateAsUpdate(otherTab), provider)
    provider.doc.getText('content').insert(19, 'and mine')

    const reader = await syncedProvider(syncUrl(server), docName, { params: { token } })
    await waitFor('the reconnected client to deliver both edits', () => reader.doc.getText('content').toString() === 'from the other tab and mine', 10_000)
    expect(closes).toContain(1013)
    expect(storedSeqs(dbPath, docName).logged).toBeGreaterThan(0)
    closeProviders(provider, reader)
  })
})

describe('an item whose origin does not come before its right origin', () => {
  /** Client 2's 'c' with origin (1, 3), the 'a' of client 1's 'xyza', and right origin (1, 1), its 'y'. */
  const backwards = Uint8Array.from(Buffer.from('01010200c401030101016300', 'hex'))

  it('is refused with 1007, since the doc would rebuild from its own encoding in another order', async () => {
    const typed = new Y.Doc()
    typed.clientID = 1
    typed.getText('content').insert(0, 'xyza')
    // In plain Yjs the doc says 'xcyza', and the same doc encoded and applied to a fresh one says 'xyzac'.
    const bare = new Y.Doc()
    Y.applyUpdate(bare, Y.encodeStateAsUpdate(typed))
    Y.applyUpdate(bare, backwards)
    const rebuilt = new Y.Doc()
    Y.applyUpdate(rebuilt, Y.encodeStateAsUpdate(bare))
    expect([bare.getText('content').toString(), rebuilt.getText('content').toString()]).toEqual(['xcyza', 'xyzac'])

    const docName = 'notes:backwards'
    const writer = await syncedProvider(syncUrl(server), docName, { doc: typed, params: { token } })
    const sender = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
    await sender.opened
    sender.ws.send(encodeSyncUpdate(backwards))
    expect(await sender.closed).toEqual({ code: 1007, reason: 'invalid payload: an item does not lie between the origin and right origin it names' })
    const late = await syncedProvider(syncUrl(server), docName, { params: { token } })
    expect(late.doc.getText('content').toString()).toBe('xyza')
    expect(server.engine.read(docName, (doc) => Y.getState(doc.store, 2))).toBe(0)
    closeProviders(writer, late)
  })
})
