import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type AuthorshipSpan, type DeltaOp, documentDocName, type Revision } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { restoreText } from '../../server/versions/index.js'
import { adminPassword, type Answer, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

type Version = { id: number; documentId: number; name: string; seq: number; userId: number; creator_name: string | null }

/** A delta as comparable text: adjacent inserts of equal formatting merged, attribute keys sorted. */
function canonical(delta: readonly DeltaOp[]): string {
  const sorted = (attributes: Record<string, unknown> = {}) => JSON.stringify(Object.fromEntries(Object.entries(attributes).sort()))
  const parts: [unknown, string][] = []
  for (const op of delta) {
    const last = parts.at(-1)
    if (typeof op.insert === 'string' && last && typeof last[0] === 'string' && last[1] === sorted(op.attributes)) last[0] += op.insert
    else parts.push([op.insert, sorted(op.attributes)])
  }
  return JSON.stringify(parts)
}

describe('named versions', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  const providers: WebsocketProvider[] = []
  let admin: string
  let alice: { token: string; userId: number }
  let bob: { token: string; userId: number }
  let dave: { token: string; userId: number }

  const start = async (env: Record<string, string> = {}) => {
    server = await startTestServer(tmp.dbPath, { FOLIO_UNLOAD_GRACE_MS: '600000', ...env })
  }
  beforeEach(async () => {
    tmp = tempDir()
    await start()
    admin = await login(server.url, 'admin', adminPassword)
    alice = await registerAndLogin(server.url, 'alice')
    bob = await registerAndLogin(server.url, 'bob')
    dave = await registerAndLogin(server.url, 'dave')
  })
  afterEach(async () => {
    closeProviders(...providers.splice(0))
    await server.close()
    tmp.remove()
  })

  const call = (event: string, data: unknown, token: string) => rpc(server.url, event, data, token)
  const ok = async <T = unknown>(event: string, data: unknown, token: string): Promise<T> => {
    const { body } = await rpc<T>(server.url, event, data, token)
    if (!body.success) throw new Error(`${event} failed: ${body.message}`)
    return body.data
  }
  const failure = ({ status, body }: { status: number; body: Answer }) => ({ status, message: body.success ? null : body.message })
  const get = async <T>(path: string, token: string): Promise<{ status: number; body: Answer<T> }> => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, body: (await response.json()) as Answer<T> }
  }
  const data = async <T>(path: string, token: string): Promise<T> => {
    const { body } = await get<T>(path, token)
    if (!body.success) throw new Error(`GET ${path} failed: ${body.message}`)
    return body.data
  }
  /** Alice's document, public so Bob may read it. */
  const aliceDocument = async (): Promise<number> => {
    const { id } = await ok<{ id: number }>('documentCreate', { name: 'essay' }, alice.token)
    await ok('documentPublish', { documentId: id }, alice.token)
    return id
  }
  const edit = (documentId: number, ops: DeltaOp[], token: string) => ok('documentEdit', { documentId, delta: { ops } }, token)
  const lastSeqOf = async (documentId: number) => (await data<{ lastSeq: number }>(`/documents/${documentId}/history?limit=1`, alice.token)).lastSeq

  it('restores the text of a version as a new change that live clients see, keeping the authors of unchanged text', async () => {
    const documentId = await aliceDocument()
    const docName = documentDocName(documentId)
    const writer = await syncedProvider(syncUrl(server), docName, { params: { token: alice.token } })
    const reader = await syncedProvider(syncUrl(server), docName, { params: { token: bob.token } })
    providers.push(writer, reader)
    const text = writer.doc.getText('content')
    const readerText = reader.doc.getText('content')
    const stored = () => server.engine.inspect(docName)?.unstoredUpdates === 0

    text.insert(0, 'Hello brave world')
    text.format(0, 5, { bold: true })
    await waitFor('the reader to see the first draft', () => readerText.toString() === 'Hello brave world' && stored())
    const versionDelta = text.toDelta() as DeltaOp[]
    const version = await ok<Version>('versionCreate', { documentId, name: 'first draft' }, alice.token)
    expect(version).toMatchObject({ documentId, name: 'first draft', seq: await lastSeqOf(documentId), userId: alice.userId, creator_name: 'alice' })
    expect(version.seq).toBe(2)

    // Alice unbolds and appends; the admin replaces "brave" and italicises "world" through the RPC.
    text.format(0, 5, { bold: null })
    text.insert(text.length, '!!!')
    await waitFor('Alice\'s edits to be stored', () => readerText.toString() === 'Hello brave world!!!' && stored())
    await edit(documentId, [{ retain: 6 }, { delete: 5 }, { insert: 'cruel' }, { retain: 1 }, { retain: 5, attributes: { italic: true } }], admin)
    await waitFor('the reader to see the later text', () => readerText.toString() === 'Hello cruel world!!!')
    const seqBefore = await lastSeqOf(documentId)
    const historyBefore = await data<{ revisions: Revision[] }>(`/documents/${documentId}/history?limit=10000`, alice.token)
    expect(historyBefore.revisions.map((r) => r.fromSeq)).toEqual(Array.from({ length: seqBefore }, (_, i) => i + 1))

    // Readers list versions but neither name nor restore them; others may not even list them.
    const listed = await ok<Version[]>('versionList', { documentId }, bob.token)
    expect(listed).toEqual([expect.objectContaining({ id: version.id, name: 'first draft', seq: 2, creator_name: 'alice' })])
    expect(failure(await call('versionRestore', { documentId, versionId: version.id }, bob.token))).toEqual({ status: 403, message: expect.stringMatching(/owner .* administrators/) })
    expect(failure(await call('versionCreate', { documentId, name: 'mine' }, bob.token)).status).toBe(403)
    const { id: privateDocument } = await ok<{ id: number }>('documentCreate', { name: 'diary' }, alice.token)
    expect(failure(await call('versionList', { documentId: privateDocument }, dave.token)).status).toBe(403)

    // The admin restores: one new change, seen live by both clients.
    const restored = await ok<{ changed: boolean; seq: number; version: Version }>('versionRestore', { documentId, versionId: version.id }, admin)
    expect(restored).toMatchObject({ changed: true, seq: seqBefore + 1, version: { id: version.id } })
    await waitFor('the reader to see the restored text', () => canonical(readerText.toDelta() as DeltaOp[]) === canonical(versionDelta))
    await waitFor('the writer to see the restored text', () => canonical(text.toDelta() as DeltaOp[]) === canonical(versionDelta))
    expect(readerText.toString()).toBe('Hello brave world')

    // History is never rewritten: every earlier revision is unchanged, and the restore is the last one.
    const historyAfter = await data<{ revisions: Revision[]; lastSeq: number }>(`/documents/${documentId}/history?limit=10000`, alice.token)
    expect(historyAfter.lastSeq).toBe(seqBefore + 1)
    expect(historyAfter.revisions.slice(0, seqBefore)).toEqual(historyBefore.revisions)
    expect(historyAfter.revisions.at(-1)).toMatchObject({ fromSeq: seqBefore + 1, userId: '1' })
    const atVersion = await data<{ content: DeltaOp[] }>(`/documents/${documentId}/content?seq=${version.seq}`, alice.token)
    expect(canonical(atVersion.content)).toBe(canonical(versionDelta))

    // Only what had changed was rewritten: "Hello " and " world" keep Alice as author; "brave" is the admin's again.
    const { spans } = await data<{ spans: AuthorshipSpan[] }>(`/documents/${documentId}/authorship`, alice.token)
    expect(spans).toEqual([
      { from: 0, to: 6, userId: String(alice.userId) },
      { from: 6, to: 11, userId: '1' },
      { from: 11, to: 17, userId: String(alice.userId) },
    ])

    // Restoring the same version again changes nothing and stores nothing.
    expect(await ok('versionRestore', { documentId, versionId: version.id }, alice.token)).toMatchObject({ changed: false, seq: seqBefore + 1 })
    expect(await lastSeqOf(documentId)).toBe(seqBefore + 1)
  })

  it('keeps names unique per document and refuses what it cannot do', async () => {
    const documentId = await aliceDocument()
    const other = await aliceDocument()
    const empty = await ok<Version>('versionCreate', { documentId, name: 'empty' }, alice.token)
    expect(empty.seq).toBe(0)
    await edit(documentId, [{ insert: 'some text' }], alice.token)
    expect(failure(await call('versionCreate', { documentId, name: 'empty' }, alice.token))).toEqual({ status: 409, message: `document ${documentId} already has a version named "empty"` })
    expect(failure(await call('versionCreate', { documentId, name: '  ' }, alice.token))).toEqual({ status: 400, message: expect.stringMatching(/^invalid input: name/) })
    expect(failure(await call('versionRestore', { documentId: other, versionId: empty.id }, alice.token))).toEqual({ status: 404, message: `document ${other} has no version ${empty.id}` })
    expect(failure(await call('versionList', { documentId: 999 }, alice.token)).status).toBe(404)
    // The same name on another document is fine.
    await ok('versionCreate', { documentId: other, name: 'empty' }, alice.token)

    // Restoring the version at seq 0 empties the text, as a change of its own.
    expect(await ok('versionRestore', { documentId, versionId: empty.id }, alice.token)).toMatchObject({ changed: true, seq: 2 })
    expect((await data<{ content: string }>(`/documents/${documentId}/content?format=text`, alice.token)).content).toBe('')
    expect((await data<{ content: string }>(`/documents/${documentId}/content?seq=1&format=text`, alice.token)).content).toBe('some text')
  })

  it('restores any earlier state exactly, whatever happened since (randomised)', () => {
    let state = 11
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const editRandomly = (text: Y.Text, count: number) => {
      for (let i = 0; i < count; i++) {
        const r = next()
        if (r < 0.5 || text.length < 3) text.insert(Math.floor(next() * (text.length + 1)), ['ab', 'cd\n', 'xyz', 'q', 'é'][Math.floor(next() * 5)]!, next() < 0.3 ? { bold: true } : {})
        else if (r < 0.8) text.delete(Math.floor(next() * (text.length - 1)), 1 + Math.floor(next() * 2))
        else if (r < 0.9) text.format(Math.floor(next() * (text.length - 1)), 2, { italic: next() < 0.5 ? true : null })
        else text.insertEmbed(Math.floor(next() * (text.length + 1)), { image: `img${Math.floor(next() * 3)}` })
      }
    }
    for (let trial = 0; trial < 200; trial++) {
      const a = new Y.Doc()
      const b = new Y.Doc()
      const exchange = () => {
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
      }
      editRandomly(a.getText('t'), 20)
      exchange()
      editRandomly(b.getText('t'), 10)
      exchange()
      const version = new Y.Doc()
      Y.applyUpdate(version, Y.encodeStateAsUpdate(a))
      editRandomly(a.getText('t'), 15)
      editRandomly(b.getText('t'), 15)
      exchange()
      a.transact(() => restoreText(a.getText('t'), version.getText('t')))
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
      const want = canonical(version.getText('t').toDelta() as DeltaOp[])
      if (canonical(b.getText('t').toDelta() as DeltaOp[]) !== want) expect.fail(`trial ${trial}: restored ${canonical(b.getText('t').toDelta() as DeltaOp[])}, version ${want}`)
    }
  })

  it('trims the log past the retention period, keeping named versions, and says from where history is complete', async () => {
    const documentId = await aliceDocument()
    const docName = documentDocName(documentId)
    // Ten changes, one letter each: the text after seq n is the first n letters.
    const letters = 'abcdefghij'
    let v3: Version | null = null
    for (const [i, letter] of [...letters].entries()) {
      await edit(documentId, i === 0 ? [{ insert: letter }] : [{ retain: i }, { insert: letter }], alice.token)
      if (i === 2) v3 = await ok<Version>('versionCreate', { documentId, name: 'three' }, alice.token)
    }
    expect(v3!.seq).toBe(3)
    await server.close()

    // Changes 1..6 happened ten days ago.
    const db = new Database(tmp.dbPath)
    db.prepare('UPDATE doc_update SET created_at = created_at - ? WHERE doc_id = ? AND seq <= 6').run(10 * 86_400_000, docName)
    const oldTime = new Date((db.prepare('SELECT created_at AS t FROM doc_update WHERE doc_id = ? AND seq = 2').get(docName) as { t: number }).t).toISOString()
    db.close()

    // Retention of one day trims at start.
    await start({ FOLIO_LOG_RETENTION_DAYS: '1' })
    await waitFor('the log to be trimmed', () => {
      const check = new Database(tmp.dbPath, { readonly: true })
      try {
        return (check.prepare('SELECT min(seq) AS s FROM doc_update WHERE doc_id = ?').get(docName) as { s: number }).s === 6
      } finally {
        check.close()
      }
    })
    const rows = () => {
      const check = new Database(tmp.dbPath, { readonly: true })
      try {
        return {
          updates: (check.prepare('SELECT seq FROM doc_update WHERE doc_id = ? ORDER BY seq').all(docName) as { seq: number }[]).map((r) => r.seq),
          checkpoints: (check.prepare('SELECT seq FROM doc_checkpoint WHERE doc_id = ? ORDER BY seq').all(docName) as { seq: number }[]).map((r) => r.seq),
        }
      } finally {
        check.close()
      }
    }
    // The record at the cut stays (it anchors seqs and times), with a checkpoint there; version 3's state is kept too.
    expect(rows().updates).toEqual([6, 7, 8, 9, 10])
    expect(rows().checkpoints).toEqual(expect.arrayContaining([3, 6]))
    expect(rows().checkpoints.every((seq) => seq === 3 || seq >= 6)).toBe(true)

    const history = await data<{ revisions: Revision[]; completeFromSeq: number; lastSeq: number }>(`/documents/${documentId}/history`, alice.token)
    expect(history.completeFromSeq).toBe(7)
    expect(history.revisions.map((r) => [r.fromSeq, r.delta])).toEqual([7, 8, 9, 10].map((seq) => [seq, [{ retain: seq - 1 }, { insert: letters[seq - 1] }]]))
    const early = await get(`/documents/${documentId}/history?fromSeq=2`, alice.token)
    expect(failure(early)).toEqual({ status: 404, message: expect.stringMatching(/complete from seq 7/) })

    const content = (query: string) => get<{ content: string; seq: number; completeFromSeq: number }>(`/documents/${documentId}/content?format=text&${query}`, alice.token)
    expect((await content('seq=6')).body).toEqual({ success: true, data: { seq: 6, format: 'text', content: 'abcdef', completeFromSeq: 7 } })
    expect((await content('seq=10')).body).toMatchObject({ data: { content: letters } })
    expect((await content('seq=3')).body).toMatchObject({ data: { content: 'abc' } })
    expect(failure(await content('seq=5'))).toEqual({ status: 404, message: expect.stringMatching(/seq 5 .* no longer available: the log before seq 6 was trimmed/) })
    expect(failure(await content(`at=${encodeURIComponent(oldTime)}`))).toEqual({ status: 404, message: expect.stringMatching(/before the retained history/) })

    // Who typed the trimmed letters is no longer known; the others are Alice's.
    const authorship = await data<{ spans: AuthorshipSpan[]; completeFromSeq: number }>(`/documents/${documentId}/authorship`, alice.token)
    expect(authorship).toEqual({
      seq: 10,
      completeFromSeq: 7,
      spans: [
        { from: 0, to: 5, userId: null },
        { from: 5, to: 10, userId: String(alice.userId) },
      ],
      authors: { [String(alice.userId)]: 'alice' },
    })
    // At a seq the trim kept, the text then; before it, the answer says what was trimmed.
    const earlier = await data<{ seq: number; spans: AuthorshipSpan[] }>(`/documents/${documentId}/authorship?seq=6`, alice.token)
    expect(earlier).toMatchObject({ seq: 6, spans: [{ from: 0, to: 5, userId: null }, { from: 5, to: 6, userId: String(alice.userId) }] })
    expect(failure(await get(`/documents/${documentId}/authorship?seq=5`, alice.token))).toEqual({ status: 404, message: expect.stringMatching(/seq 5 .* no longer available/) })

    // The version from before the cut still restores, and editing goes on with the next seqs.
    expect(await ok('versionRestore', { documentId, versionId: v3!.id }, alice.token)).toMatchObject({ changed: true, seq: 11 })
    await edit(documentId, [{ retain: 3 }, { insert: 'Z' }], alice.token)
    expect(await lastSeqOf(documentId)).toBe(12)
    // A cold load after the trim has the same text.
    await server.close()
    await start({ FOLIO_LOG_RETENTION_DAYS: '1' })
    expect((await content('seq=12')).body).toMatchObject({ data: { content: 'abcZ', completeFromSeq: 7 } })
    expect(server.engine.read(docName, (doc) => doc.getText('content').toString())).toBe('abcZ')
  })
})
