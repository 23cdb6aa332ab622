import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentContentDoc, documentDocName } from '../../schema/index.js'
import { ensureAppBuilt } from '../../server/app/index.js'
import type { FolioServer } from '../../server/index.js'
import { waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { appPages } from './appPages.js'
import { chromiumFor, launchChromium } from './chromium.js'

const editor = '.editor-frame .ql-editor'

describe.skipIf(!chromiumFor('the sharing browser test'))('sharing a document in the web app', () => {
  let server: FolioServer
  let stop: (() => Promise<void>) | undefined
  let browser: Browser
  const { problems, signedInPage } = appPages(() => browser, () => server.url)

  beforeAll(async () => {
    await ensureAppBuilt()
    ;({ server, stop } = await startServerWithUsers(['owner', 'colleague']))
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stop?.()
  })

  const editorShows = (page: Page, text: string) =>
    page.waitForFunction(([selector, wanted]) => [...(document.querySelector(selector!)?.children ?? [])].map((line) => line.textContent).join('\n').trimEnd() === wanted, [editor, text], { timeout: 10_000 })
  const storedText = (id: number) => server.engine.read(documentDocName(id), (doc) => doc.getText(documentContentDoc.text).toString().trimEnd())

  it('the owner shares a document with a colleague as editor; both edit and converge; made a reader the colleague cannot type; a revoke takes it away at once', async () => {
    const owner = await signedInPage('owner', 'owner-password')
    await owner.getByPlaceholder('Name of the new document').fill('Joint paper')
    await owner.getByRole('button', { name: 'Create' }).click()
    await owner.waitForURL(/\/edit\/\d+$/)
    const id = Number(new URL(owner.url()).pathname.split('/').pop())
    await owner.locator(editor).click()
    await owner.keyboard.type('Owner wrote this.')
    await waitFor('the owner’s text to be stored', () => storedText(id) === 'Owner wrote this.')

    // The colleague's list does not hold it yet; it appears live once it is shared.
    const colleague = await signedInPage('colleague', 'colleague-password')
    expect(await colleague.getByRole('link', { name: 'Joint paper' }).count()).toBe(0)

    await owner.getByRole('button', { name: 'Share' }).click()
    const dialog = owner.getByRole('dialog', { name: 'Share this document' })
    await dialog.getByLabel('User name').fill('colleague')
    await dialog.getByLabel('As').selectOption('editor')
    await dialog.getByRole('button', { name: 'Share', exact: true }).click()
    await dialog.getByRole('listitem').filter({ hasText: 'colleague' }).waitFor()
    expect(await dialog.getByLabel('Role of colleague').inputValue()).toBe('editor')
    await dialog.getByRole('button', { name: 'Close' }).click()

    await colleague.getByRole('link', { name: 'Joint paper' }).click()
    await editorShows(colleague, 'Owner wrote this.')
    // A colleague who does not own it is not offered the share dialog.
    expect(await colleague.getByRole('button', { name: 'Share' }).count()).toBe(0)
    await colleague.locator(editor).click()
    await colleague.keyboard.press('Control+End')
    await colleague.keyboard.type(' Colleague added this.')
    await owner.locator(editor).click()
    await owner.keyboard.press('Control+Home')
    await owner.keyboard.type('Title. ')
    const together = 'Title. Owner wrote this. Colleague added this.'
    await editorShows(owner, together)
    await editorShows(colleague, together)
    await waitFor('the server to store both', () => storedText(id) === together)

    // Made a reader, the colleague's open editor turns read-only at once.
    await owner.getByRole('button', { name: 'Share' }).click()
    await dialog.getByLabel('Role of colleague').selectOption('reader')
    await colleague.waitForFunction(() => document.querySelector('.sync-badge')?.getAttribute('data-state') === 'read-only', undefined, { timeout: 10_000 })
    await colleague.locator(editor).click()
    await colleague.keyboard.type(' read only')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(storedText(id)).toBe(together)

    // Revoked, the colleague's open editor loses the document at once.
    await dialog.getByRole('listitem').filter({ hasText: 'colleague' }).getByRole('button', { name: 'Revoke' }).click()
    await dialog.getByText('Nobody yet').waitFor()
    await colleague.getByRole('alert').waitFor({ timeout: 10_000 })
    await colleague.keyboard.type(' late')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(storedText(id)).toBe(together)
    expect(problems).toEqual([])
  })
})
