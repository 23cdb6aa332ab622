import Database from 'better-sqlite3'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FolioServer } from '../../server/index.js'
import { chromiumFor, launchChromium } from '../browser/chromium.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'
import { freePort } from './ports.js'

const docName = 'notes:browser-replica'

/** The page of a web app that keeps its doc in IndexedDB: `openNotes(url, token, edit)` and `acknowledged()`. */
const page = `<!doctype html>
<meta charset="utf-8">
<script src="/sdk.js"></script>
<script>
  let opened
  window.openNotes = async (url, token, edit) => {
    const client = folio.createClient({ url, token })
    opened = client.openDoc(${JSON.stringify(docName)}, { store: folio.indexeddbReplicaStore(), disableBc: true })
    await opened.whenLoaded
    const text = opened.doc.getText('text')
    const before = text.toString()
    if (edit) text.insert(text.length, edit)
    return { before, unacknowledged: opened.unacknowledged() }
  }
  window.acknowledged = async () => {
    await opened.whenAcknowledged()
    return opened.doc.getText('text').toString()
  }
</script>`

/** The browser face of the SDK as one script, the way an app's bundler would take it. */
async function bundleSdk(): Promise<string> {
  const entry = fileURLToPath(new URL('../../clients/index.ts', import.meta.url))
  const result = await build({
    stdin: { contents: `export { createClient, indexeddbReplicaStore } from ${JSON.stringify(entry)}`, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: 'folio',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

describe.skipIf(!chromiumFor('the browser replica test'))('a web app with the IndexedDB replica store', () => {
  const tmp = tempDir()
  let folio: FolioServer | null = null
  let app: Server
  let origin = ''
  let port = 0
  let browser: Browser
  const startFolio = async () => (folio = await startTestServer(tmp.dbPath, { PORT: String(port), FOLIO_ALLOWED_ORIGINS: origin }))

  beforeAll(async () => {
    const sdk = await bundleSdk()
    app = createServer((request, response) => {
      if (request.url === '/sdk.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk)
      else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
    })
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
    port = await freePort()
    await startFolio()
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await folio?.close()
    await new Promise((resolve) => app?.close(resolve))
    tmp.remove()
  })

  it('starts offline from the last state, keeps edits over reloads, and brings them to the server once it is back', async () => {
    const url = folio!.url
    const token = await login(url, 'admin', adminPassword)
    const tab: Page = await (await browser.newContext()).newPage()
    const openPage = async (edit: string) => {
      await tab.goto(origin)
      return tab.evaluate(([u, t, e]) => (window as unknown as { openNotes: (...a: string[]) => Promise<{ before: string; unacknowledged: number }> }).openNotes(u!, t!, e!), [url, token, edit])
    }
    await folio!.close()
    folio = null

    const offlineFrom = Date.now()
    expect(await openPage('one ')).toEqual({ before: '', unacknowledged: 1 })
    // IndexedDB writes are asynchronous: give them a moment before the page goes away.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await openPage('two')).toEqual({ before: 'one ', unacknowledged: 2 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await openPage('')).toEqual({ before: 'one two', unacknowledged: 2 })

    const back = Date.now()
    await startFolio()
    expect(await tab.evaluate(() => (window as unknown as { acknowledged: () => Promise<string> }).acknowledged())).toBe('one two')
    // The typing times kept in IndexedDB reached the server: one record per offline edit, in typing order, before the server was back.
    const db = new Database(tmp.dbPath, { readonly: true })
    const records = db.prepare('SELECT typed_at, created_at FROM doc_update WHERE doc_id = ? ORDER BY seq').all(docName) as { typed_at: number; created_at: number }[]
    db.close()
    expect(records).toHaveLength(2)
    expect(records[0]!.typed_at).toBeGreaterThanOrEqual(offlineFrom)
    expect(records[1]!.typed_at).toBeGreaterThan(records[0]!.typed_at)
    expect(records[1]!.typed_at).toBeLessThan(back)
    for (const record of records) expect(record.created_at).toBeGreaterThanOrEqual(back)
    // The acknowledgement is written to IndexedDB asynchronously too.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await openPage('')).unacknowledged).toBe(0)

    const other = await syncedProvider(syncUrl(folio!), docName, { doc: new Y.Doc(), params: { token } })
    try {
      await waitFor('the offline edits at the other client', () => other.doc.getText('text').toString() === 'one two')
    } finally {
      closeProviders(other)
    }
  }, 60_000)
})
