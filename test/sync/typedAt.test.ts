import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeTimedUpdate } from '../../clients/replica/timedUpdate.js'
import { documentDocName, type Revision } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { decodeClientMessage, defaultSyncOptions, encodeSyncUpdate, ProtocolError } from '../../sync/index.js'
import { trustedTypedAt } from '../../sync/typedAt.js'
import { createDocument, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, frameKind, openRaw, type RawClient, syncedProvider, waitFor } from '../helpers/clients.js'
import { frame } from '../helpers/frames.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

const skewMs = 2_000

describe('the bounds of a claimed typing time', () => {
  const bounds = { sessionStartedAt: 1_000_000, now: 2_000_000, clockSkewMs: skewMs }

  it('keeps a claim inside the session, moves one a little past a bound onto it, and ignores one further out', () => {
    expect(trustedTypedAt(1_500_000, bounds)).toBe(1_500_000)
    expect(trustedTypedAt(null, bounds)).toBeNull()
    expect(trustedTypedAt(bounds.now + skewMs, bounds)).toBe(bounds.now)
    expect(trustedTypedAt(bounds.now + skewMs + 1, bounds)).toBeNull()
    expect(trustedTypedAt(bounds.sessionStartedAt - skewMs, bounds)).toBe(bounds.sessionStartedAt)
    expect(trustedTypedAt(bounds.sessionStartedAt - skewMs - 1, bounds)).toBeNull()
  })

  it('decodes a timed update as an update with its claim, under the same limits as a sync update', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'x')
    const update = Y.encodeStateAsUpdate(doc)
    expect(decodeClientMessage(encodeTimedUpdate(1_700_000_000_000, update), 10)).toMatchObject({ kind: 'update', update, typedAt: 1_700_000_000_000 })
    expect(decodeClientMessage(frame(0, 2, update), 10)).toMatchObject({ kind: 'update', typedAt: null })
    const rejection = (bytes: Uint8Array, limit = defaultSyncOptions.maxUpdateStructs) => {
      try {
        decodeClientMessage(bytes, limit)
      } catch (error) {
        if (error instanceof ProtocolError) return error.closeCode
        throw error
      }
      return 'accepted'
    }
    expect(rejection(frame(100, 1_700_000_000_000))).toBe(1002)
    expect(rejection(frame(100, 5, new Uint8Array([3, 1, 2])))).toBe(1007)
    const big = new Y.Doc()
    for (let i = 0; i < 20; i++) big.getMap('m').set(`k${i}`, i)
    expect(rejection(encodeTimedUpdate(5, Y.encodeStateAsUpdate(big)), 10)).toBe(4413)
  })
})

describe('timed updates over the sync endpoint', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let db: Database.Database
  let alice: { token: string; userId: number }
  let docName: string
  let sessionStart: number
  const raws: RawClient[] = []

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_MAX_CLOCK_SKEW_MS: String(skewMs) })
    alice = await registerAndLogin(server.url, 'alice')
    docName = documentDocName(await createDocument(server.url, alice.token, { name: 'Offline notes' }))
    db = new Database(tmp.dbPath, { readonly: true })
    sessionStart = (db.prepare('select max(created_at) as at from auth_session where user_id = ?').get(alice.userId) as { at: number }).at
  })
  afterEach(async () => {
    for (const raw of raws.splice(0)) raw.ws.close()
    db.close()
    await server.close()
    tmp.remove()
  })

  /** Opens a raw socket as alice, answers nothing, and returns it once the server spoke first. */
  async function openAsAlice(token = alice.token): Promise<RawClient> {
    const raw = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
    raws.push(raw)
    await raw.opened
    await waitFor('the server to speak first', () => raw.frames.length > 0)
    return raw
  }

  /** One update per text: each appended to what came before, as a client types. */
  function typedUpdates(...texts: string[]): Uint8Array[] {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    for (const text of texts) doc.getText('content').insert(doc.getText('content').length, text)
    return updates
  }

  function storedRecords(): { seq: number; typed_at: number | null; created_at: number }[] {
    return db.prepare('select seq, typed_at, created_at from doc_update where doc_id = ? order by seq').all(docName) as { seq: number; typed_at: number | null; created_at: number }[]
  }

  async function historyOf(groupMs = 0): Promise<Revision[]> {
    const response = await fetch(`${server.url}/documents/${docName.split(':')[1]}/history?groupMs=${groupMs}`, { headers: { authorization: `Bearer ${alice.token}` } })
    return ((await response.json()) as { data: { revisions: Revision[] } }).data.revisions
  }

  it('stores each timed update as its own record with the typing time beside its arrival, and history shows both', async () => {
    const raw = await openAsAlice()
    const [first, second] = typedUpdates('typed ', 'offline')
    // Typed after login, well before they arrive (as an offline session's edits are).
    const typedFirst = sessionStart + 50
    const typedSecond = sessionStart + 120
    await new Promise((resolve) => setTimeout(resolve, 300))
    raw.ws.send(encodeTimedUpdate(typedFirst, first!))
    raw.ws.send(encodeTimedUpdate(typedSecond, second!))
    await waitFor('both records', () => storedRecords().length === 2)
    const records = storedRecords()
    expect(records.map((r) => r.typed_at)).toEqual([typedFirst, typedSecond])
    for (const record of records) expect(record.created_at).toBeGreaterThan(record.typed_at!)

    const revisions = await historyOf()
    expect(revisions.map((r) => [r.typedAt, r.createdAt])).toEqual(records.map((r) => [r.typed_at, r.created_at]))
  })

  it('ignores a claim from the future beyond the allowed clock skew, and moves one within it onto now', async () => {
    const raw = await openAsAlice()
    const [far, near] = typedUpdates('far ', 'near')
    const sentAt = Date.now()
    raw.ws.send(encodeTimedUpdate(sentAt + skewMs + 60_000, far!))
    raw.ws.send(encodeTimedUpdate(sentAt + skewMs / 2, near!))
    await waitFor('both records', () => storedRecords().length === 2)
    const [farRecord, nearRecord] = storedRecords()
    expect(farRecord!.typed_at).toBeNull()
    expect(nearRecord!.typed_at).toBeGreaterThanOrEqual(sentAt)
    expect(nearRecord!.typed_at).toBeLessThanOrEqual(nearRecord!.created_at)
  })

  it('ignores a claim from before the login session began, and moves one just before it onto its start', async () => {
    const raw = await openAsAlice()
    const [before, justBefore] = typedUpdates('yesterday ', 'just now')
    raw.ws.send(encodeTimedUpdate(sessionStart - skewMs - 3_600_000, before!))
    raw.ws.send(encodeTimedUpdate(sessionStart - skewMs / 2, justBefore!))
    await waitFor('both records', () => storedRecords().length === 2)
    expect(storedRecords().map((r) => r.typed_at)).toEqual([null, sessionStart])
  })

  it('refuses timed updates on a read-only connection as it refuses sync updates', async () => {
    const bob = await registerAndLogin(server.url, 'bob')
    const publicDoc = documentDocName(await createDocument(server.url, alice.token, { name: 'Public', public: true }))
    const raw = openRaw(`${syncUrl(server)}/${publicDoc}?token=${bob.token}`)
    raws.push(raw)
    await raw.opened
    raw.ws.send(encodeTimedUpdate(Date.now(), typedUpdates('not mine')[0]!))
    await waitFor('permission-denied', () => raw.frames.some((f) => frameKind(f).type === 2))
    expect(db.prepare('select count(*) as n from doc_update where doc_id = ?').get(publicDoc)).toEqual({ n: 0 })
  })

  it("keeps a stock client's updates at their arrival time (no typing time)", async () => {
    const stock = await syncedProvider(syncUrl(server), docName, { params: { token: alice.token } })
    stock.doc.getText('content').insert(0, 'stock edit')
    const raw = await openAsAlice()
    raw.ws.send(encodeSyncUpdate(typedUpdates('plain sync frame')[0]!))
    await waitFor('both records', () => storedRecords().length === 2)
    expect(storedRecords().map((r) => r.typed_at)).toEqual([null, null])
    expect((await historyOf()).map((r) => r.typedAt)).toEqual([null, null])
    closeProviders(stock)
  })

  it('groups revisions by typing time: bursts typed apart that arrived together stay apart', async () => {
    const raw = await openAsAlice()
    const updates = typedUpdates('a', 'b', 'c', 'd')
    // Two bursts 400 ms apart, all sent at once: by arrival they would be one revision.
    const times = [10, 20, 410, 420].map((ms) => sessionStart + ms)
    await waitFor('the claims to be in the past', () => Date.now() > sessionStart + 500)
    times.forEach((time, i) => raw.ws.send(encodeTimedUpdate(time, updates[i]!)))
    await waitFor('four records', () => storedRecords().length === 4)
    expect(storedRecords().map((r) => r.typed_at)).toEqual(times)
    const grouped = await historyOf(100)
    expect(grouped.map((r) => [r.fromSeq, r.toSeq, r.typedAt])).toEqual([
      [1, 2, times[0]],
      [3, 4, times[2]],
    ])
  })
})
