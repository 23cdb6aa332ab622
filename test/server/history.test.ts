import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { DocHistory, SqliteHistoryStore } from '../../sync/index.js'
import { openDatabase } from '../../schema/db/index.js'
import { adminPassword, createDocument, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

/** A tiny seeded PRNG, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('document history', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  const providers: WebsocketProvider[] = []

  beforeEach(async () => {
    tmp = tempDir()
    // Small checkpoints, so replay crosses many of them.
    server = await startTestServer(tmp.dbPath, { FOLIO_CHECKPOINT_EVERY_UPDATES: '97', FOLIO_UNLOAD_GRACE_MS: '600000' })
  })
  afterEach(async () => {
    closeProviders(...providers.splice(0))
    await server.close()
    tmp.remove()
  })

  async function get<T>(path: string, token: string): Promise<{ status: number; body: { success: boolean; data: T; message?: string } }> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, body: (await response.json()) as { success: boolean; data: T } }
  }

  it('replays the exact text after every change, and attributes every character to its typist', async () => {
    const admin = await login(server.url, 'admin', adminPassword)
    const alice = await registerAndLogin(server.url, 'alice')
    const carol = await registerAndLogin(server.url, 'carol')
    const outsider = await registerAndLogin(server.url, 'dave')
    // Carol becomes an admin so she may write Alice's document too.
    await rpc(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { userId: carol.userId, userRoleId: 1 } }, admin)
    const documentId = await createDocument(server.url, alice.token, { name: 'paper' })
    const docName = documentDocName(documentId)

    const typists = [
      { token: alice.token, userId: String(alice.userId), alphabet: 'abcdefghij' },
      { token: admin, userId: '1', alphabet: '0123456789' },
      { token: carol.token, userId: String(carol.userId), alphabet: 'KLMNOPQRST' },
    ]
    const clients = await Promise.all(typists.map((t) => syncedProvider(syncUrl(server), docName, { params: { token: t.token } })))
    providers.push(...clients)

    // The text after every stored update, in log order (the live doc's update order is the seq order).
    const live = server.engine.inspect(docName)!.doc
    const textAfter: string[] = []
    live.on('update', () => textAfter.push(live.getText('content').toString()))

    const next = random(7)
    const edit = (client: WebsocketProvider, alphabet: string) => {
      const text = client.doc.getText('content')
      if (text.length > 20 && next() < 0.3) text.delete(Math.floor(next() * text.length), 1 + Math.floor(next() * 3))
      else text.insert(Math.floor(next() * (text.length + 1)), alphabet[Math.floor(next() * alphabet.length)]!.repeat(1 + Math.floor(next() * 3)))
    }
    for (let round = 0; round < 700; round++) {
      // The admin goes offline for a while and merges later.
      if (round === 200) clients[1]!.disconnect()
      if (round === 400) clients[1]!.connect()
      clients.forEach((client, i) => edit(client, typists[i]!.alphabet))
      if (round % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    const texts = () => clients.map((c) => c.doc.getText('content').toString())
    await waitFor('all replicas to converge', () => new Set([...texts(), live.getText('content').toString()]).size === 1, 20_000)
    await waitFor('every update to be stored', () => server.engine.inspect(docName)?.unstoredUpdates === 0)

    const history = new DocHistory(new SqliteHistoryStore(openDatabase(tmp.dbPath)))
    const lastSeq = history.lastSeq(docName)
    expect(lastSeq).toBe(textAfter.length)
    expect(lastSeq).toBeGreaterThan(1_500)
    // The HTTP endpoints serve the replay and the authorship (checked before the in-process sweep).
    for (const seq of [1, 97, 98, 500, lastSeq]) {
      const { body } = await get<{ seq: number; content: string }>(`/documents/${documentId}/content?seq=${seq}&format=text`, alice.token)
      expect(body.data).toEqual({ seq, format: 'text', content: textAfter[seq - 1], completeFromSeq: 1 })
    }

    const { body: authorship } = await get<{ spans: { from: number; to: number; userId: string }[] }>(`/documents/${documentId}/authorship`, alice.token)
    const finalText = texts()[0]!
    expect(authorship.data.spans.at(-1)!.to).toBe(finalText.length)
    for (const span of authorship.data.spans) {
      const typist = typists.find((t) => t.userId === span.userId)
      expect(typist, `span ${JSON.stringify(span)} has a known author`).toBeDefined()
      for (const char of finalText.slice(span.from, span.to)) expect(typist!.alphabet).toContain(char)
    }
    expect(new Set(authorship.data.spans.map((s) => s.userId))).toEqual(new Set(typists.map((t) => t.userId)))

    // Readers only.
    expect((await get(`/documents/${documentId}/authorship`, outsider.token)).status).toBe(403)

    // Every seq, through the same replay code, in-process (last: it blocks this process, server included, for seconds).
    for (let seq = 1; seq <= lastSeq; seq++) {
      const doc = history.stateAt(docName, seq)
      const text = doc.getText('content').toString()
      doc.destroy()
      if (text !== textAfter[seq - 1]) expect.fail(`seq ${seq}: replayed ${JSON.stringify(text)}, recorded ${JSON.stringify(textAfter[seq - 1])}`)
    }
    // A few seconds on an idle machine; the 2,100 typed edits and 1,500+ replays take several times that on two shared cores.
  }, 60_000)

  it('lists revisions as Quill deltas, grouped by user and gap, page by page', async () => {
    const alice = await registerAndLogin(server.url, 'alice')
    const documentId = await createDocument(server.url, alice.token, { name: 'notes' })
    const client = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: alice.token } })
    providers.push(client)
    const text = client.doc.getText('content')
    text.insert(0, 'Hello')
    await new Promise((resolve) => setTimeout(resolve, 20))
    text.insert(5, ' world')
    await new Promise((resolve) => setTimeout(resolve, 20))
    text.format(0, 5, { bold: true })
    await new Promise((resolve) => setTimeout(resolve, 20))
    text.delete(0, 1)
    await waitFor('four updates stored', () => server.engine.inspect(documentDocName(documentId))?.unstoredUpdates === 0 && text.toString() === 'ello world')
    await new Promise((resolve) => setTimeout(resolve, 50))

    const page = await get<{ revisions: { fromSeq: number; delta: unknown[]; length: number; userId: string }[]; nextSeq: number | null }>(
      `/documents/${documentId}/history?limit=2`,
      alice.token,
    )
    expect(page.body.data.revisions.map((r) => r.delta)).toEqual([[{ insert: 'Hello' }], [{ retain: 5 }, { insert: ' world' }]])
    expect(page.body.data.revisions.map((r) => r.length)).toEqual([5, 11])
    expect(page.body.data.nextSeq).toBe(3)
    const rest = await get<{ revisions: { delta: unknown[] }[]; nextSeq: number | null }>(`/documents/${documentId}/history?fromSeq=3`, alice.token)
    expect(rest.body.data.revisions.map((r) => r.delta)).toEqual([[{ retain: 5, attributes: { bold: true } }], [{ delete: 1 }]])
    expect(rest.body.data.nextSeq).toBeNull()

    const grouped = await get<{ revisions: { fromSeq: number; toSeq: number; delta: unknown[]; userId: string }[] }>(`/documents/${documentId}/history?groupMs=60000`, alice.token)
    expect(grouped.body.data.revisions).toEqual([
      expect.objectContaining({ fromSeq: 1, toSeq: 4, userId: String(alice.userId), delta: [{ insert: 'ello', attributes: { bold: true } }, { insert: ' world' }] }),
    ])

    const html = await get<{ content: string }>(`/documents/${documentId}/content?format=html`, alice.token)
    expect(html.body.data.content).toBe('<p><strong>ello</strong> world</p>')
    const bad = await get(`/documents/${documentId}/content?format=pdf`, alice.token)
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/^invalid query: format/)
  })
})
