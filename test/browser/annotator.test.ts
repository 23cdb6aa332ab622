import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { annotationsDocName } from '../../schema/index.js'
import { ensureAppBuilt } from '../../server/app/index.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, rpc } from '../helpers/accounts.js'
import { waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { appPages, phone, selectWords, twoLinePdf } from './appPages.js'
import { chromiumFor, launchChromium } from './chromium.js'

describe.skipIf(!chromiumFor('the PDF annotator browser test'))('the PDF annotator in a browser', () => {
  let server: FolioServer
  let stop: (() => Promise<void>) | undefined
  let browser: Browser
  let adminToken: string
  const { problems, signedInPage } = appPages(() => browser, () => server.url)

  beforeAll(async () => {
    await ensureAppBuilt()
    ;({ server, adminToken, stop } = await startServerWithUsers(['bob']))
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await stop?.()
  })

  const ok = async <T>(event: string, data: unknown): Promise<T> => {
    const { body } = await rpc<T>(server.url, event, data, adminToken)
    if (!body.success) throw new Error(`${event}: ${body.message}`)
    return body.data
  }
  const storedEntries = (documentId: number, collection: string) =>
    server.engine.read(annotationsDocName(documentId), (doc) => [...doc.getMap<Y.Map<unknown>>(collection).values()].map((entry) => entry.toJSON()))

  it('two users annotate one PDF and see each other’s highlights, comments and votes live; anonymous replies stay anonymous', async () => {
    const { doc } = await ok<{ doc: { id: number } }>('documentAdd', { name: 'Field notes', file: await twoLinePdf() })
    await ok('documentUpdate', { id: doc.id, public: true })
    const tagSetId = await ok<number>('appDataUpdate', { table: 'tag_set', data: { name: 'Review', public: true } })
    const claimId = await ok<number>('appDataUpdate', { table: 'tag', data: { name: 'Claim', colorCode: 'danger', tagSetId, public: true } })
    await ok('appDataUpdate', { table: 'tag', data: { name: 'Evidence', colorCode: 'success', tagSetId, public: true } })

    const admin = await signedInPage('admin', adminPassword)
    const bob = await signedInPage('bob', 'bob-password')
    // The PDF is a link of the document list; it opens in the annotator.
    await bob.getByRole('link', { name: 'Field notes' }).click()
    await bob.waitForURL(`${server.url}/annotate/${doc.id}`)
    await admin.goto(`${server.url}/annotate/${doc.id}`)
    for (const page of [admin, bob]) {
      await page.locator('.pdf-page .textLayer span').first().waitFor()
      await page.locator('.sync-badge[data-state="online"]').waitFor()
    }

    // The admin selects words, tags them as a claim with a note.
    await selectWords(admin, 'every change')
    await admin.getByRole('heading', { name: 'New annotation' }).waitFor()
    expect(await admin.locator('.selected-quote').textContent()).toBe('every change')
    await admin.getByLabel('Claim').check()
    await admin.getByLabel('Note (optional)').fill('Is that true for deletions?')
    await admin.getByRole('button', { name: 'Annotate' }).click()

    // Bob sees the highlight in the tag's colour over those words, and the card with the admin's note.
    const bobHighlight = bob.locator('.pdf-highlight[data-color="danger"]')
    await bobHighlight.first().waitFor({ timeout: 10_000 })
    const card = bob.locator('.annotation-card', { hasText: 'every change' })
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('Is that true for deletions?')
    expect(await card.locator('.tag-chip').textContent()).toBe('Claim')
    expect(await card.locator('q').textContent()).toBe('every change')
    await expect.poll(() => card.locator('.annotation-meta').textContent()).toBe('admin · page 1')
    // The highlight covers the words on bob's page (same place, though drawn by his browser).
    const covers = await bob.evaluate(() => {
      const box = document.querySelector('.pdf-highlight')!.getBoundingClientRect()
      const layer = document.querySelector('.pdf-page[data-page="1"] .textLayer')!
      const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        const at = node.data.indexOf('every change')
        if (at < 0) continue
        const range = document.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + 'every change'.length)
        const words = range.getBoundingClientRect()
        return Math.abs(words.left - box.left) < 2 && Math.abs(words.right - box.right) < 2 && Math.abs(words.top - box.top) < 2
      }
      return false
    })
    expect(covers).toBe(true)

    // Stored on the annotations doc, as the server's own events store entries.
    const [stored] = storedEntries(doc.id, 'annotations')
    expect(stored).toMatchObject({ tagId: claimId, text: 'every change', draft: false, deleted: false })

    // Bob replies anonymously; the admin sees the reply live, by "Anonymous".
    await card.getByRole('button', { name: 'Reply' }).click()
    await card.getByPlaceholder('Your reply').fill('Deletions are kept as tombstones.')
    await card.getByLabel('Anonymous').check()
    await card.getByRole('button', { name: 'Send reply' }).click()
    const adminCard = admin.locator('.annotation-card', { hasText: 'every change' })
    const reply = adminCard.locator('.replies .comment')
    await expect.poll(() => reply.locator('.comment-text').textContent(), { timeout: 10_000 }).toBe('Deletions are kept as tombstones.')
    expect(await reply.locator('.author').textContent()).toBe('Anonymous')

    // The admin votes the reply up; bob sees the score.
    await reply.getByRole('button', { name: 'Vote up' }).click()
    await expect.poll(() => card.locator('.replies .score').textContent(), { timeout: 10_000 }).toBe('1')
    // The server's rows hide the anonymous author from others and name the admin.
    const comments = await ok<{ text: string; creator_name: string; userId: number | null }[]>('commentGetByDocument', { documentId: doc.id })
    expect(comments.find((comment) => comment.text === 'Is that true for deletions?')?.creator_name).toBe('admin')
    expect(comments.find((comment) => comment.text === 'Deletions are kept as tombstones.')?.creator_name).toBe('Anonymous')
    await waitFor('the vote to be stored', () => storedEntries(doc.id, 'votes').length === 1)

    // A second annotation by bob, with the other tag: both browsers show two highlights in their colours.
    await selectWords(bob, 'Yjs doc')
    await bob.getByLabel('Evidence').check()
    await bob.getByRole('button', { name: 'Annotate' }).click()
    await admin.locator('.pdf-highlight[data-color="success"]').first().waitFor({ timeout: 10_000 })
    await expect.poll(() => admin.locator('.annotation-card').count()).toBe(2)

    // Bob cannot remove the admin's annotation (no button; the server's guard would undo it anyway), only his own.
    expect(await card.getByRole('button', { name: 'Delete annotation' }).count()).toBe(0)
    await bob.locator('.annotation-card', { hasText: 'Yjs doc' }).getByRole('button', { name: 'Delete annotation' }).click()
    await expect.poll(() => admin.locator('.annotation-card').count(), { timeout: 10_000 }).toBe(1)
    expect(await admin.locator('.pdf-highlight[data-color="success"]').count()).toBe(0)

    // On a phone the annotator fits the screen.
    const phoneBob = await signedInPage('bob', 'bob-password', phone)
    await phoneBob.goto(`${server.url}/annotate/${doc.id}`)
    await phoneBob.locator('.pdf-highlight[data-color="danger"]').first().waitFor({ timeout: 10_000 })
    expect(await phoneBob.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true)
    expect(problems).toEqual([])
  }, 90_000)
})
