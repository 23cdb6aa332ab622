import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { syncUrl, startTestServer, tempDir } from '../helpers/server.js'
import { chromiumFor, launchChromium } from './chromium.js'

/**
 * The page an editor served from another origin would be: its script logs in to Folio with
 * credentials (so the cookie is set) and opens a sync socket that only the cookie authorizes.
 */
const editorPage = `<!doctype html>
<meta charset="utf-8">
<title>editor elsewhere</title>
<script>
  window.folioLogin = async (folio, userName, password) => {
    try {
      const response = await fetch(folio + '/auth/login', {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userName, password }),
      })
      return { status: response.status, user: (await response.json()).data.user.userName }
    } catch (error) {
      return { error: String(error) }
    }
  }
  window.folioOpenSync = (url) => new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.onmessage = () => { resolve({ synced: true }); ws.close() }
    ws.onclose = (event) => resolve({ closed: event.code })
  })
</script>`

/** A tiny HTTP server on a loopback port of its own, so its pages have an origin other than Folio's. */
async function servePage(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(editorPage))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe.skipIf(!chromiumFor('the cross-origin browser test'))('pages on other origins, in a browser', () => {
  let folio: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let browser: Browser
  let listed: { origin: string; server: Server }
  let unlisted: { origin: string; server: Server }

  beforeAll(async () => {
    listed = await servePage()
    unlisted = await servePage()
    tmp = tempDir()
    folio = await startTestServer(tmp.dbPath, { FOLIO_ALLOWED_ORIGINS: listed.origin })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await folio?.close()
    tmp?.remove()
    for (const page of [listed, unlisted]) page?.server.close()
  })

  /** The page at `origin` in a browser context of its own, optionally already holding a Folio login cookie. */
  async function pageAt(origin: string, cookieToken?: string): Promise<Page> {
    const context = await browser.newContext()
    if (cookieToken) await context.addCookies([{ name: 'folio_token', value: cookieToken, url: folio.url, httpOnly: true, sameSite: 'Lax' }])
    const page = await context.newPage()
    await page.goto(`${origin}/`)
    return page
  }

  const logInFrom = (page: Page) => page.evaluate(([url, password]) => window.folioLogin(url, 'admin', password), [folio.url, adminPassword] as const)
  const openSync = (page: Page, docName: string) => page.evaluate((url) => window.folioOpenSync(url), `${syncUrl(folio)}/${docName}`)

  it('a page on a listed origin logs in with credentials and opens a sync socket with the cookie it got', async () => {
    const page = await pageAt(listed.origin)
    expect(await logInFrom(page)).toEqual({ status: 200, user: 'admin' })
    expect(await openSync(page, 'notes-elsewhere')).toEqual({ synced: true })
  })

  it('a page on another origin cannot log in, and cannot ride the cookie over a websocket', async () => {
    const page = await pageAt(unlisted.origin, await login(folio.url, 'admin', adminPassword))
    expect(await logInFrom(page)).toEqual({ error: 'TypeError: Failed to fetch' })
    // The browser holds the cookie and sends it along (same site), so only the Origin check stands between.
    expect(await openSync(page, 'notes-elsewhere')).toEqual({ closed: 1006 })
    const direct = await page.context().newPage()
    await direct.goto(`${folio.url}/auth/check`)
    expect(await direct.textContent('body')).toContain('"userName":"admin"')
  })
})

declare global {
  interface Window {
    folioLogin(folio: string, userName: string, password: string): Promise<{ status: number; user: string } | { error: string }>
    folioOpenSync(url: string): Promise<{ synced: true } | { closed: number }>
  }
}
