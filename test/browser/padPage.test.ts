import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { padDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { waitFor } from '../helpers/clients.js'
import { createRoom, startServerWithUsers } from '../helpers/rooms.js'
import { SignalingClient } from '../helpers/signaling.js'

const chromiumPath = '/usr/bin/chromium'
const hasChromium = existsSync(chromiumPath)
if (!hasChromium) {
  console.warn(`chromium not found at ${chromiumPath}: install Debian chromium (apt-get install chromium) to run the pad browser test; skipping`)
}

const greeting = 'Grüße aus dem Protokoll'
const editor = '#pad-editor .ql-editor'

describe.skipIf(!hasChromium)('protocol pad page in a browser', () => {
  let server: FolioServer
  let stop: (() => Promise<void>) | undefined
  let browser: Browser
  let adminToken: string
  let bobToken: string
  const signaling: SignalingClient[] = []
  /** Everything the pages reported as errors (script errors, CSP violations, failed loads). */
  const pageProblems: string[] = []

  beforeAll(async () => {
    const started = await startServerWithUsers(['bob'])
    ;({ server, adminToken, stop } = started)
    bobToken = started.users.bob.token
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  })

  afterAll(async () => {
    await browser?.close()
    for (const client of signaling) client.close()
    await stop?.()
  })

  /**
   * A room "Weekly sync" moderated by the admin (joined as Alice) with bob joined, and bob selected
   * as the writer: bob's signaling socket gets the write URL, the moderator's the read URL.
   */
  async function meeting() {
    const roomId = (await createRoom(server.url, adminToken, 'Weekly sync')).id
    const moderator = new SignalingClient(server.url, roomId, adminToken)
    const bob = new SignalingClient(server.url, roomId, bobToken)
    signaling.push(moderator, bob)
    await moderator.join('Alice')
    const bobId = (await bob.join('Bob')).id
    moderator.send('protocol', { action: 'select_writer', participant_ids: [bobId] })
    const writeUrl = String((await bob.next('protocol', 'write_url')).url)
    const readUrl = String((await moderator.next('protocol', 'read_url')).url)
    expect(new URL(writeUrl).origin).toBe(server.url)
    const padText = () => server.engine.read(padDocName(roomId), (doc) => doc.getText('content').toString())
    return { roomId, moderator, bob, bobId, writeUrl, readUrl, padText }
  }

  /** A page in a fresh browser context: its own cookie jar, as a separate browser would have. */
  async function newPage(label: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage()
    page.on('pageerror', (error) => pageProblems.push(`${label}: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`${label}: ${message.text()}`)
    })
    return page
  }

  /** Opens a pad link and waits until the editor has synced. */
  async function openPad(label: string, url: string): Promise<Page> {
    const page = await newPage(label)
    await page.goto(url)
    await page.waitForFunction(() => document.querySelector('#pad-status')?.textContent === 'connected', null, { timeout: 10_000 })
    return page
  }

  const textOf = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trimEnd()
  /** Waits until the page's notice banner shows `text`. */
  const noticeShows = (page: Page, text: string) =>
    page.waitForFunction((wanted) => {
      const notice = document.querySelector<HTMLElement>('#pad-notice')
      return notice !== null && !notice.hidden && notice.textContent?.includes(wanted) === true
    }, text, { timeout: 10_000 })

  it('a writer edits, a reader follows, sees who is there and cannot change the text', async () => {
    const { roomId, writeUrl, readUrl, padText } = await meeting()
    const writer = await openPad('writer', writeUrl)
    const reader = await openPad('reader', readUrl)
    // The link set the cookie and redirected: the secret is not left in the address bar.
    expect(new URL(writer.url()).pathname).toBe(`/pad/${roomId}`)
    expect(await writer.locator('#pad-access').textContent()).toBe('write')
    expect(await reader.locator('#pad-access').textContent()).toBe('read')
    expect(await reader.locator('.ql-toolbar').count()).toBe(0)
    expect(await reader.locator('.pad-room').textContent()).toBe('Weekly sync')

    await writer.locator(editor).click()
    await writer.keyboard.type(greeting)
    await reader.waitForFunction(({ selector, text }) => document.querySelector(selector)?.textContent === text, { selector: editor, text: greeting }, { timeout: 10_000 })
    await waitFor('the server to store the text', () => padText().trimEnd() === greeting)

    // The reader's editor is disabled: clicking and typing changes nothing.
    await reader.locator(editor).click()
    await reader.keyboard.type('overwritten')
    expect(await textOf(reader, editor)).toBe(greeting)

    // Forced editable (as anyone could from devtools), it changes only the reader's own copy: the
    // server drops updates of a read session and answers permission-denied, which the page shows.
    // Once that answer is there, the server has handled everything the reader sent (one socket, in order).
    await reader.locator(editor).evaluate((element) => element.setAttribute('contenteditable', 'true'))
    await reader.locator(editor).click()
    await reader.keyboard.press('End')
    await reader.keyboard.type(' forged')
    await noticeShows(reader, 'You can only read this pad')
    expect(padText().trimEnd()).toBe(greeting)
    expect(await textOf(writer, editor)).toBe(greeting)

    // Awareness: each page lists the other participant by display name.
    await reader.waitForFunction(() => document.querySelector('#pad-participants')?.textContent?.includes('Bob'), null, { timeout: 10_000 })
    await writer.waitForFunction(() => document.querySelector('#pad-participants')?.textContent?.includes('Alice'), null, { timeout: 10_000 })

    expect(pageProblems).toEqual([])
  })

  it('turns read-only when the moderator takes write access away', async () => {
    const { moderator, bob, bobId, writeUrl, readUrl, padText } = await meeting()
    const writer = await openPad('writer', writeUrl)
    const reader = await openPad('reader', readUrl)
    await writer.locator(editor).click()
    await writer.keyboard.type('Agenda')
    await waitFor('the server to store the text', () => padText().trimEnd() === 'Agenda')

    // Deselected, bob's open connection may only read: his next keystrokes are refused, and the
    // page turns read-only instead of letting him type into a copy that is never saved.
    const since = bob.frames.length
    moderator.send('protocol', { action: 'deselect_writer', participant_ids: [bobId] })
    await bob.next('protocol', 'read_url', { since })
    await writer.keyboard.type(' lost')
    await noticeShows(writer, 'You can only read this pad')
    expect(await writer.locator('#pad-access').textContent()).toBe('read')
    expect(await writer.locator('.ql-toolbar').isVisible()).toBe(false)
    expect(padText().trimEnd()).toBe('Agenda')
    expect(await textOf(reader, editor)).toBe('Agenda')
    expect(pageProblems).toEqual([])
  })

  it('stops for good when the pad session ends', async () => {
    const { bob, writeUrl, readUrl } = await meeting()
    const writer = await openPad('writer', writeUrl)
    const reader = await openPad('reader', readUrl)

    // Bob leaves the room: his pad session ends and the server closes his sync socket with 4403.
    // The page says so and does not reconnect; the moderator's page stays connected.
    bob.close()
    await noticeShows(writer, 'Your pad session ended')
    expect(await writer.locator('#pad-status').textContent()).toBe('disconnected')
    expect(await writer.locator(editor).getAttribute('contenteditable')).toBe('false')
    await writer.waitForTimeout(1_000)
    expect(await writer.locator('#pad-status').textContent()).toBe('disconnected')
    expect(await reader.locator('#pad-status').textContent()).toBe('connected')
    expect(pageProblems).toEqual([])
  })

  it('refuses the pad page to a browser without a pad session', async () => {
    const { roomId } = await meeting()
    const page = await newPage('stranger')
    const response = await page.goto(`${server.url}/pad/${roomId}`)
    expect(response?.status()).toBe(403)
    expect(await page.locator('h1').textContent()).toBe('No pad session')
    expect(await page.locator('#pad-editor').count()).toBe(0)
  })
})
