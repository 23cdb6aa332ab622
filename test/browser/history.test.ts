import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type AuthorshipSpan, documentContentDoc, documentDocName } from '../../schema/index.js'
import { ensureAppBuilt } from '../../server/app/index.js'
import type { FolioServer } from '../../server/index.js'
import { rpc } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { appPages, phone } from './appPages.js'
import { chromiumFor, launchChromium } from './chromium.js'

describe.skipIf(!chromiumFor('the history browser test'))('the history timeslider in a browser', () => {
  let server: FolioServer
  let stop: (() => Promise<void>) | undefined
  let browser: Browser
  let adminToken: string
  let bob: { token: string; userId: number }
  const { problems, signedInPage } = appPages(() => browser, () => server.url)

  beforeAll(async () => {
    await ensureAppBuilt()
    const started = await startServerWithUsers(['bob'])
    ;({ server, adminToken, stop } = started)
    bob = started.users.bob
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await stop?.()
  })

  const ok = async <T>(event: string, data: unknown, token: string): Promise<T> => {
    const { body } = await rpc<T>(server.url, event, data, token)
    if (!body.success) throw new Error(`${event}: ${body.message}`)
    return body.data
  }
  const get = async <T>(path: string): Promise<T> => {
    const answer = (await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bob.token}` } })).json()) as { success: boolean; data: T }
    if (!answer.success) throw new Error(`GET ${path} failed`)
    return answer.data
  }
  const storedText = (id: number) => server.engine.read(documentDocName(id), (doc) => doc.getText(documentContentDoc.text).toString())
  /** The shown text's runs as authorship spans: consecutive runs of one author merged, as the server merges them. */
  const shownSpans = (page: Page, selector: string) =>
    page.locator(`${selector} .author-run`).evaluateAll((runs) => {
      const spans: { from: number; to: number; userId: string | null }[] = []
      let at = 0
      for (const run of runs) {
        const length = (run.textContent ?? '').length
        const userId = run.getAttribute('data-author') || null
        const last = spans.at(-1)
        if (last && last.userId === userId) last.to += length
        else spans.push({ from: at, to: at + length, userId })
        at += length
      }
      return spans
    })
  const shownText = (page: Page, selector: string) => page.locator(selector).evaluate((element) => element.textContent ?? '')

  it('shows the text at a chosen revision as content?seq= has it, coloured by /authorship; compares and restores a named version', async () => {
    // Bob's document, written by bob and the admin through stock y-websocket clients, one change at a time.
    const { id } = await ok<{ id: number }>('documentCreate', { name: 'Minutes' }, bob.token)
    const bobs = await syncedProvider(`${server.url.replace('http', 'ws')}/sync`, documentDocName(id), { params: { token: bob.token } })
    const admins = await syncedProvider(`${server.url.replace('http', 'ws')}/sync`, documentDocName(id), { params: { token: adminToken } })
    const text = (provider: typeof bobs) => provider.doc.getText(documentContentDoc.text)
    const lastSeq = async () => (await get<{ lastSeq: number }>(`/documents/${id}/history?limit=1`)).lastSeq
    const step = async (provider: typeof bobs, change: (text: Y.Text) => void, seq: number) => {
      change(text(provider))
      for (let tries = 0; (await lastSeq()) < seq; tries++) {
        if (tries > 200) throw new Error(`seq ${seq} never stored`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await waitFor('both clients to agree', () => text(bobs).toString() === text(admins).toString())
    }
    await step(bobs, (t) => t.insert(0, 'Agenda: budget and rooms.\n'), 1)
    await step(admins, (t) => t.insert(t.length - 1, ' Also the party.'), 2)
    await step(bobs, (t) => t.format(0, 7, { bold: true }), 3)
    const draft = await ok<{ id: number; seq: number }>('versionCreate', { documentId: id, name: 'first draft' }, bob.token)
    expect(draft.seq).toBe(3)
    await step(admins, (t) => t.delete(8, 'budget and '.length), 4)
    await step(bobs, (t) => t.insert(0, 'Minutes. '), 5)

    const page = await signedInPage('bob', 'bob-password')
    await page.goto(`${server.url}/edit/${id}`)
    await page.getByRole('link', { name: 'History' }).click()
    await page.waitForURL(`${server.url}/history/${id}`)
    await page.getByLabel('Steps').selectOption({ label: 'every change' })
    // By keyboard: the slider's Home is the start, each arrow one revision.
    const slider = page.getByRole('slider', { name: 'Revision' })
    await slider.focus()
    await page.keyboard.press('Home')
    for (let seq = 1; seq <= 5; seq++) {
      await page.keyboard.press('ArrowRight')
      await page.locator(`.revision-info[data-seq="${seq}"]`).waitFor()
      const content = await get<{ content: string }>(`/documents/${id}/content?seq=${seq}&format=text`)
      const authorship = await get<{ spans: AuthorshipSpan[] }>(`/documents/${id}/authorship?seq=${seq}`)
      expect(await shownText(page, '.history-text'), `seq ${seq}`).toBe(content.content)
      expect(await shownSpans(page, '.history-text'), `seq ${seq}`).toEqual(authorship.spans)
    }
    // Each author's text has the colour the legend gives them, with their name.
    const legend = await page.locator('.author-legend li').evaluateAll((items) => items.map((item) => [item.textContent?.trim(), getComputedStyle(item).getPropertyValue('--author')]))
    expect(legend.map(([name]) => name)).toEqual(['bob (you)', 'admin'])
    const runColors = await page.locator('.history-text .author-run').evaluateAll((runs) => runs.map((run) => [run.getAttribute('data-author'), getComputedStyle(run).getPropertyValue('--author')]))
    const adminId = (await get<{ revisions: { userId: string }[] }>(`/documents/${id}/history`)).revisions[1]!.userId
    for (const [author, color] of runColors) expect(color).toBe(legend[author === adminId ? 1 : 0]![1])

    // Step back with the button, and play to the end.
    await page.getByRole('button', { name: 'Previous revision' }).click()
    await page.locator('.revision-info[data-seq="4"]').waitFor()
    await page.getByRole('button', { name: 'Play' }).click()
    await page.locator('.revision-info[data-seq="5"]').waitFor({ timeout: 5_000 })

    // The named version against the latest, side by side: the admin's deletion and bob's insertion, each in its maker's colour.
    await page.getByLabel('From').selectOption({ label: 'version “first draft”' })
    await page.getByLabel('To').selectOption({ label: 'the latest' })
    await page.getByRole('button', { name: 'Compare side by side' }).click()
    expect(await shownText(page, '.before-text')).toBe((await get<{ content: string }>(`/documents/${id}/content?seq=3&format=text`)).content)
    expect(await shownText(page, '.after-text')).toBe(storedText(id))
    const marked = (selector: string, change: string) =>
      page.locator(`${selector} .change-${change}`).evaluateAll((runs) => runs.map((run) => [run.textContent, run.getAttribute('data-changed-by')]))
    expect(await marked('.before-text', 'deleted')).toEqual([['budget and ', adminId]])
    expect(await marked('.after-text', 'inserted')).toEqual([['Minutes. ', String(bob.userId)]])
    await page.getByRole('button', { name: 'Close comparison' }).click()

    // Restoring the version is a new change by bob: the text is the version's again, and the slider shows it as the latest.
    await page.locator('.version-list li', { hasText: 'first draft' }).getByRole('button', { name: 'Restore' }).click()
    await page.getByText('Restored “first draft” as a new change.').waitFor()
    const draftText = (await get<{ content: string }>(`/documents/${id}/content?seq=3&format=text`)).content
    await waitFor('the restore to be stored', () => storedText(id) === draftText)
    await page.locator('.revision-info[data-seq="6"]').waitFor({ timeout: 10_000 })
    expect(await shownText(page, '.history-text')).toBe(draftText)
    await waitFor('the live clients to get the restore', () => text(admins).toString() === draftText)
    const [restore] = (await get<{ revisions: { userId: string }[] }>(`/documents/${id}/history?fromSeq=6`)).revisions
    expect(restore?.userId).toBe(String(bob.userId))

    // On a phone the screen fits.
    const small = await signedInPage('bob', 'bob-password', phone)
    await small.goto(`${server.url}/history/${id}`)
    await small.locator('.history-text').waitFor()
    expect(await small.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true)
    closeProviders(bobs, admins)
    expect(problems).toEqual([])
  }, 90_000)
})
