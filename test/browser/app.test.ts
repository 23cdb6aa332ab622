import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenAt } from '../../clients/app/src/routes.js'
import { documentContentDoc, documentDocName } from '../../schema/index.js'
import { appPagePaths, ensureAppBuilt } from '../../server/app/index.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, rpc } from '../helpers/accounts.js'
import { waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { appPages, phone } from './appPages.js'
import { chromiumFor, launchChromium } from './chromium.js'

const editor = '.editor-frame .ql-editor'
const badge = '.sync-badge'

describe.skipIf(!chromiumFor('the web app browser test'))('the web app in a browser', () => {
  let server: FolioServer
  let stop: (() => Promise<void>) | undefined
  let browser: Browser
  let adminToken: string
  /** Pages in fresh contexts, and everything they reported as errors (script errors, CSP violations, failed loads). */
  const { problems: pageProblems, newPage, signIn } = appPages(() => browser, () => server.url)

  beforeAll(async () => {
    // Built once before the first page asks for it (a fresh checkout builds here, in some seconds).
    await ensureAppBuilt()
    const started = await startServerWithUsers(['bob'])
    ;({ server, adminToken, stop } = started)
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await stop?.()
  })

  const badgeShows = (page: Page, state: string) => page.waitForFunction(([selector, wanted]) => document.querySelector(selector!)?.getAttribute('data-state') === wanted, [badge, state], { timeout: 10_000 })
  /** The editor's text, a line per paragraph (innerText would add blank lines around headings and paragraphs), without Quill's closing newline. */
  const editorText = (page: Page) => page.locator(editor).evaluate((root) => [...root.children].map((line) => line.textContent).join('\n').trimEnd())
  const editorShows = (page: Page, text: string) =>
    page.waitForFunction(([selector, wanted]) => [...(document.querySelector(selector!)?.children ?? [])].map((line) => line.textContent).join('\n').trimEnd() === wanted, [editor, text], { timeout: 10_000 })
  const storedText = (id: number) => server.engine.read(documentDocName(id), (doc) => doc.getText(documentContentDoc.text).toString().trimEnd())
  const documentIdOf = (page: Page) => Number(new URL(page.url()).pathname.split('/').pop())

  it('answers its page at the screens’ addresses with a CSP without inline code, and no other path', async () => {
    const examples = ['/', '/login', '/register', '/edit/42', '/annotate/42', '/history/42']
    expect(examples.map((path) => screenAt(path).name)).not.toContain('notFound')
    expect(appPagePaths).toHaveLength(examples.length)
    for (const path of examples) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(response.headers.get('cache-control')).toBe('no-cache')
      const policy = response.headers.get('content-security-policy') ?? ''
      expect(policy).toContain("script-src 'self'")
      expect(policy).toContain("style-src 'self'")
      expect(policy).not.toContain('unsafe-inline')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
    const page = await (await fetch(`${server.url}/`)).text()
    const script = /<script type="module" crossorigin src="(\/app\/[^"]+\.js)">/.exec(page)?.[1]
    expect(script).toBeDefined()
    const asset = await fetch(`${server.url}${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    // A path of no screen, or of no built file, stays the server's 404; other features keep their routes.
    for (const path of ['/edit/abc', '/annotate/abc', '/history/x', '/documents', '/app/missing.js', '/nowhere']) expect((await fetch(`${server.url}${path}`)).status, path).toBe(404)
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
  })

  it('a new user registers on a phone, creates and uploads documents; with the admin both edit one and see each other', async () => {
    const carol = await newPage('carol', phone)
    await carol.goto(`${server.url}/`)
    // Signed out, the app sends the user to the login screen, which links to registration.
    await carol.waitForURL(`${server.url}/login`)
    await carol.getByRole('link', { name: 'Create one' }).click()
    await carol.getByRole('heading', { name: 'Create an account' }).waitFor()
    await carol.getByLabel('User name').fill('carol')
    await carol.getByLabel('E-mail').fill('carol@example.test')
    await carol.getByLabel('Password').fill('carol-password')
    await carol.getByLabel('I accept the terms of use').check()
    await carol.getByRole('button', { name: 'Create account' }).click()
    await carol.getByRole('heading', { name: 'Documents' }).waitFor()
    expect(await carol.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true)

    // An HTML upload becomes an HTML document with the file's text; a PDF one a PDF document.
    const upload = carol.locator('input[name="upload"]')
    await upload.setInputFiles({ name: 'notes.html', mimeType: 'text/html', buffer: Buffer.from('<h1>Notes</h1><p>Bring <strong>maps</strong>.</p>') })
    await carol.getByText('Uploaded notes.html.').waitFor()
    await upload.setInputFiles({ name: 'ticket.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') })
    await carol.getByText('Uploaded ticket.pdf.').waitFor()
    const rows = carol.locator('table.documents tbody tr')
    await expect.poll(() => rows.allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringMatching(/^ticket\s+PDF/), expect.stringMatching(/^notes\s+HTML/)])
    await carol.getByRole('link', { name: 'notes' }).click()
    await editorShows(carol, 'Notes\nBring maps.')
    await carol.getByRole('link', { name: '← Documents' }).click()

    await carol.getByPlaceholder('Name of the new document').fill('Trip plan')
    await carol.getByRole('button', { name: 'Create' }).click()
    await carol.waitForURL(/\/edit\/\d+$/)
    const id = documentIdOf(carol)
    await badgeShows(carol, 'online')
    await carol.locator(editor).click()
    await carol.keyboard.type('Hello from Carol')
    await waitFor('the server to store carol’s text', () => storedText(id) === 'Hello from Carol')

    // The admin finds the document in the live table and edits it too (admins write every document).
    const admin = await newPage('admin')
    await signIn(admin, 'admin', adminPassword)
    await admin.getByRole('link', { name: 'Trip plan' }).click()
    await badgeShows(admin, 'online')
    await editorShows(admin, 'Hello from Carol')
    await admin.locator(editor).click()
    await admin.keyboard.press('Control+End')
    await admin.keyboard.type(', and the admin')
    await carol.keyboard.press('Home')
    await carol.keyboard.type('Hi! ')
    const together = 'Hi! Hello from Carol, and the admin'
    await editorShows(carol, together)
    await editorShows(admin, together)
    await waitFor('the server to store both', () => storedText(id) === together)

    // Each sees the other's cursor, named by awareness.
    const cursorNamed = (page: Page, name: string) =>
      page.waitForFunction((wanted) => [...document.querySelectorAll('.ql-cursor .ql-cursor-name')].some((flag) => flag.textContent === wanted), name, { timeout: 10_000 })
    await cursorNamed(carol, 'admin')
    await cursorNamed(admin, 'carol')
    // Tab leaves the editor for the next control instead of typing a tab into the text.
    await carol.keyboard.press('Tab')
    expect(await carol.evaluate(() => document.activeElement?.classList.contains('ql-editor'))).toBe(false)
    expect(await editorText(carol)).toBe(together)
    expect(pageProblems).toEqual([])
  })

  it('a reader cannot type, and loses the document when it stops being public; signing out ends the session', async () => {
    const added = await rpc<{ doc: { id: number } }>(server.url, 'documentAdd', { name: 'Rules', delta: { ops: [{ insert: 'Read me\n' }] } }, adminToken)
    if (!added.body.success) throw new Error(added.body.message)
    const id = added.body.data.doc.id
    expect((await rpc(server.url, 'documentUpdate', { id, public: true }, adminToken)).body.success).toBe(true)

    const bob = await newPage('bob')
    await signIn(bob, 'bob', 'bob-password')
    // The session outlives a reload.
    await bob.reload()
    await bob.getByRole('link', { name: 'Rules' }).click()
    await editorShows(bob, 'Read me')
    await badgeShows(bob, 'read-only')
    expect(await bob.locator('.ql-toolbar').isVisible()).toBe(false)
    await bob.locator(editor).click()
    await bob.keyboard.type('overwritten')
    expect(await editorText(bob)).toBe('Read me')
    expect(storedText(id)).toBe('Read me')

    // The owner makes it private: the server closes bob's socket, and the page says so.
    expect((await rpc(server.url, 'documentUpdate', { id, public: false }, adminToken)).body.success).toBe(true)
    await bob.getByText('You no longer have access to this document.').waitFor({ timeout: 10_000 })
    await badgeShows(bob, 'offline')

    // Signing out ends the session on the server too, not only in the page.
    const token = await bob.evaluate(() => localStorage.getItem('folio.token'))
    expect((await fetch(`${server.url}/auth/check`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    await bob.getByRole('button', { name: 'Sign out' }).click()
    await bob.waitForURL(`${server.url}/login`)
    expect((await fetch(`${server.url}/auth/check`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
    expect(pageProblems).toEqual([])
  })
})
