import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { type DeltaOp, documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { createDocument, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, syncedProvider } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

describe('HTML export of a document (GET /documents/:id/content?format=html)', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let alice: { token: string; userId: number }
  const providers: WebsocketProvider[] = []

  beforeAll(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    alice = await registerAndLogin(server.url, 'alice')
  })
  afterAll(async () => {
    closeProviders(...providers.splice(0))
    await server.close()
    tmp.remove()
  })

  /** Writes `ops` into a new document as one edit over sync, then reads the export once the edit is stored. */
  async function exported(ops: DeltaOp[]): Promise<string> {
    const documentId = await createDocument(server.url, alice.token, { name: 'export' })
    const client = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: alice.token } })
    providers.push(client)
    client.doc.getText('content').applyDelta(ops)
    const deadline = Date.now() + 5_000
    for (;;) {
      const response = await fetch(`${server.url}/documents/${documentId}/content?format=html`, { headers: { authorization: `Bearer ${alice.token}` } })
      const body = (await response.json()) as { success: boolean; data?: { content: string } }
      if (body.success && body.data!.content !== '') return body.data!.content
      if (Date.now() > deadline) throw new Error(`the edit was not exported within 5 s: ${JSON.stringify(body)}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it('keeps headings, nested lists, quotes, code and inline formats', async () => {
    const html = await exported([
      { insert: 'Minutes' },
      { insert: '\n', attributes: { header: 1 } },
      { insert: 'Decisions' },
      { insert: '\n', attributes: { header: 2 } },
      { insert: 'We ' },
      { insert: 'agreed', attributes: { bold: true } },
      { insert: ', ' },
      { insert: 'mostly', attributes: { italic: true } },
      { insert: ', ' },
      { insert: 'today', attributes: { underline: true } },
      { insert: ', ' },
      { insert: 'not yesterday', attributes: { strike: true } },
      { insert: ' (see ' },
      { insert: 'the plan', attributes: { link: 'https://example.org/plan?a=1&b=2' } },
      { insert: ').\n' },
      { insert: 'Budget' },
      { insert: '\n', attributes: { list: 'ordered' } },
      { insert: 'rent' },
      { insert: '\n', attributes: { list: 'ordered', indent: 1 } },
      { insert: 'due in May' },
      { insert: '\n', attributes: { list: 'bullet', indent: 2 } },
      { insert: 'travel' },
      { insert: '\n', attributes: { list: 'ordered', indent: 1 } },
      { insert: 'Hiring' },
      { insert: '\n', attributes: { list: 'ordered' } },
      { insert: 'open question' },
      { insert: '\n', attributes: { list: 'bullet' } },
      { insert: 'Less is more.' },
      { insert: '\n', attributes: { blockquote: true } },
      { insert: 'if (a < b) {' },
      { insert: '\n', attributes: { 'code-block': 'plain' } },
      { insert: '  go()' },
      { insert: '\n', attributes: { 'code-block': 'plain' } },
      { insert: '}' },
      { insert: '\n', attributes: { 'code-block': 'plain' } },
      { insert: '\nThe end.\n' },
    ])
    expect(html).toBe(
      [
        '<h1>Minutes</h1>',
        '<h2>Decisions</h2>',
        '<p>We <strong>agreed</strong>, <em>mostly</em>, <u>today</u>, <s>not yesterday</s> (see <a href="https://example.org/plan?a=1&amp;b=2">the plan</a>).</p>',
        '<ol><li>Budget<ol><li>rent<ul><li>due in May</li></ul></li><li>travel</li></ol></li><li>Hiring</li></ol>',
        '<ul><li>open question</li></ul>',
        '<blockquote>Less is more.</blockquote>',
        '<pre>if (a &lt; b) {\n  go()\n}</pre>',
        '<p><br></p>',
        '<p>The end.</p>',
      ].join(''),
    )
  })

  it('drops links to javascript:, data: and vbscript: (however written) and escapes text and attributes', async () => {
    const evil = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)']
    const html = await exported([
      ...evil.flatMap((link, i): DeltaOp[] => [{ insert: `evil${i}`, attributes: { link } }, { insert: ' ' }]),
      { insert: '\n' },
      { insert: 'mail', attributes: { link: 'mailto:ann@example.org' } },
      { insert: ' ' },
      { insert: 'page', attributes: { link: '/documents/7' } },
      { insert: ' ' },
      { insert: 'quoted', attributes: { link: 'https://example.org/"onmouseover="alert(1)' } },
      { insert: '\n' },
      { insert: '<script>alert(1)</script> & &lt;b&gt; "quoted"', attributes: { bold: true } },
      { insert: '\n' },
    ])
    expect(html).toBe(
      [
        '<p>evil0 evil1 evil2 evil3 evil4 evil5 </p>',
        '<p><a href="mailto:ann@example.org">mail</a> <a href="/documents/7">page</a> <a href="https://example.org/&quot;onmouseover=&quot;alert(1)">quoted</a></p>',
        '<p><strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &amp;lt;b&amp;gt; &quot;quoted&quot;</strong></p>',
      ].join(''),
    )
    expect(html).not.toMatch(/javascript|vbscript|data:|<script/i)
  })
})
