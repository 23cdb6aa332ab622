import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, createDocument, login, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

interface Revision {
  fromSeq: number
  toSeq: number
  userId: string
  delta: unknown[]
  changes: Record<string, unknown>[]
}
interface Page {
  revisions: Revision[]
  nextSeq: number | null
}

describe('history of every shared type, in groups that do not depend on the page', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let alice: { token: string; userId: number }
  const providers: WebsocketProvider[] = []

  beforeAll(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_CHECKPOINT_EVERY_UPDATES: '500', FOLIO_UNLOAD_GRACE_MS: '600000' })
    alice = await registerAndLogin(server.url, 'alice')
  })
  afterAll(async () => {
    closeProviders(...providers.splice(0))
    await server.close()
    tmp.remove()
  })

  async function get<T>(path: string): Promise<T> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${alice.token}` } })
    const body = (await response.json()) as { success: boolean; data: T; message?: string }
    if (!body.success) throw new Error(body.message)
    return body.data
  }

  /** Every revision, page by page through `nextSeq`. */
  async function allRevisions(documentId: number, limit: number, groupMs: number): Promise<{ revisions: Revision[]; pages: number }> {
    const revisions: Revision[] = []
    let fromSeq: number | null = 1
    let pages = 0
    while (fromSeq !== null) {
      const page: Page = await get<Page>(`/documents/${documentId}/history?fromSeq=${fromSeq}&limit=${limit}&groupMs=${groupMs}`)
      revisions.push(...page.revisions)
      fromSeq = page.nextSeq
      pages++
    }
    return { revisions, pages }
  }

  const stored = (docName: string) => server.engine.inspect(docName)?.unstoredUpdates === 0

  it('gives the same 5,000 edits the same revisions on pages of 1, 100, 1,000 and 10,000', async () => {
    const documentId = await createDocument(server.url, alice.token, { name: 'long' })
    const docName = documentDocName(documentId)
    const admin = await login(server.url, 'admin', adminPassword)
    const [mine, theirs] = await Promise.all([alice.token, admin].map((token) => syncedProvider(syncUrl(server), docName, { params: { token } })))
    providers.push(mine!, theirs!)
    // Alice types 2,000 characters, the admin 1,000, Alice 2,000 more: one stored update each.
    const serverLength = () => server.engine.inspect(docName)!.doc.getText('content').length
    const type = async (provider: WebsocketProvider, count: number, letter: string) => {
      const text = provider.doc.getText('content')
      // Each writer types at the end of the whole text, so it first has everyone's typing before it.
      await waitFor('the earlier typing to reach this writer', () => text.length === serverLength(), 20_000)
      for (let i = 0; i < count; i++) {
        text.insert(text.length, letter)
        if (i % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
      }
      await waitFor('the typing to be stored', () => stored(docName) && serverLength() === text.length, 20_000)
    }
    await type(mine!, 2_000, 'a')
    await type(theirs!, 1_000, 'b')
    await type(mine!, 2_000, 'c')
    const lastSeq = (await get<{ lastSeq: number }>(`/documents/${documentId}/history?limit=1`)).lastSeq
    expect(lastSeq).toBe(5_000)

    const grouped = await allRevisions(documentId, 10_000, 60_000)
    expect(grouped.revisions.map((r) => [r.fromSeq, r.toSeq, r.userId])).toEqual([
      [1, 2_000, String(alice.userId)],
      [2_001, 3_000, '1'],
      [3_001, 5_000, String(alice.userId)],
    ])
    expect(grouped.revisions[1]!.delta).toEqual([{ retain: 2_000 }, { insert: 'b'.repeat(1_000) }])
    for (const limit of [1, 100, 1_000]) {
      const paged = await allRevisions(documentId, limit, 60_000)
      expect(paged.revisions, `pages of ${limit}`).toEqual(grouped.revisions)
      expect(paged.pages).toBe(Math.ceil(3 / limit))
    }
    // Without grouping, a page holds `limit` single records.
    const single = await allRevisions(documentId, 1_000, 0)
    expect(single.pages).toBe(5)
    expect(single.revisions.map((r) => r.toSeq)).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1))
  }, 60_000)

  it('shows XML fragments, maps and arrays in history and in the content export', async () => {
    const documentId = await createDocument(server.url, alice.token, { name: 'prosemirror' })
    const docName = documentDocName(documentId)
    const client = await syncedProvider(syncUrl(server), docName, { params: { token: alice.token } })
    providers.push(client)
    const { doc } = client
    const paragraph = (text: string) => {
      const element = new Y.XmlElement('paragraph')
      element.insert(0, [new Y.XmlText(text)])
      return element
    }
    const step = async (change: () => void) => {
      change()
      await waitFor('the change to be stored', () => stored(docName) && Y.encodeStateAsUpdate(server.engine.inspect(docName)!.doc).length === Y.encodeStateAsUpdate(doc).length)
    }
    const fragment = doc.getXmlFragment('default')
    await step(() => fragment.insert(0, [paragraph('Hello'), paragraph('World')]))
    await step(() => ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(5, '!', { bold: true }))
    await step(() => doc.getMap('meta').set('title', 'Draft'))
    await step(() => doc.getArray<string>('tags').push(['essay', 'first']))
    await step(() => doc.getMap('meta').delete('title'))

    const { revisions } = await get<Page>(`/documents/${documentId}/history`)
    expect(revisions.map((r) => r.changes)).toEqual([
      [{ name: 'default', kind: 'xml', delta: [{ insert: 'Hello\nWorld' }], length: 11 }],
      [{ name: 'default', kind: 'xml', delta: [{ retain: 11 }, { insert: '!' }], length: 12 }],
      [{ name: 'meta', kind: 'map', keys: { title: { action: 'add', value: 'Draft' } } }],
      [{ name: 'tags', kind: 'array', delta: [{ insert: ['essay', 'first'] }], length: 2 }],
      [{ name: 'meta', kind: 'map', keys: { title: { action: 'delete' } } }],
    ])
    // The doc has no Quill text: the main-text view stays empty.
    expect(revisions.every((r) => r.delta.length === 0)).toBe(true)

    const content = async (format: string, seq = '') => (await get<{ content: unknown }>(`/documents/${documentId}/content?format=${format}${seq}`)).content
    expect(await content('json')).toEqual({ default: '<paragraph>Hello</paragraph><paragraph>World<bold>!</bold></paragraph>', meta: {}, tags: ['essay', 'first'] })
    expect(await content('json', '&seq=3')).toEqual({ default: '<paragraph>Hello</paragraph><paragraph>World<bold>!</bold></paragraph>', meta: { title: 'Draft' } })
    expect(await content('text')).toBe('Hello\nWorld!')
    expect(await content('html')).toBe('<p>Hello</p><p>World!</p>')

    // A later Quill text joins them, and keeps its place as the main text.
    await step(() => doc.getText('content').insert(0, 'Notes'))
    expect(await content('text')).toBe('Notes')
    const last = (await get<Page>(`/documents/${documentId}/history?fromSeq=6`)).revisions
    expect(last).toEqual([expect.objectContaining({ delta: [{ insert: 'Notes' }], changes: [{ name: 'content', kind: 'text', delta: [{ insert: 'Notes' }], length: 5 }] })])
  })
})
