/**
 * `npm run screenshots`: the web app's screens at desktop (1280x800) and phone (390x844) size, as
 * PNGs in docs/screenshots/, for the README. It starts a server on a temporary database with the
 * admin and bob, gives them a PDF with annotations and a document with a history written by both,
 * and photographs each screen in Debian's chromium.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { documentContentDoc, documentDocName } from '../../schema/index.js'
import { ensureAppBuilt } from '../../server/app/index.js'
import { adminPassword, rpc } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { appPages, phone, selectWords, twoLinePdf } from './appPages.js'
import { chromiumFor, launchChromium } from './chromium.js'

const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const sizes: Record<string, BrowserContextOptions> = { desktop: { viewport: { width: 1280, height: 800 } }, phone }

if (!chromiumFor('the screenshots')) process.exit(1)
mkdirSync(outDir, { recursive: true })
await ensureAppBuilt()
const { server, adminToken, users, stop } = await startServerWithUsers(['bob'])
const browser = await launchChromium()
const { problems, newPage, signIn, signedInPage } = appPages(() => browser, () => server.url)
const ok = async <T>(event: string, data: unknown, token = adminToken): Promise<T> => {
  const { body } = await rpc<T>(server.url, event, data, token)
  if (!body.success) throw new Error(`${event}: ${body.message}`)
  return body.data
}

try {
  // A PDF with a tag set, annotated by the admin and bob through the annotator itself.
  const { doc: pdf } = await ok<{ doc: { id: number } }>('documentAdd', { name: 'Field notes', file: await twoLinePdf() })
  await ok('documentUpdate', { id: pdf.id, public: true })
  const tagSetId = await ok<number>('appDataUpdate', { table: 'tag_set', data: { name: 'Review', public: true } })
  for (const [name, colorCode] of [['Claim', 'danger'], ['Evidence', 'success'], ['Question', 'info']]) await ok('appDataUpdate', { table: 'tag', data: { name, colorCode, tagSetId, public: true } })
  const admin = await signedInPage('admin', adminPassword, sizes.desktop)
  await admin.goto(`${server.url}/annotate/${pdf.id}`)
  await admin.locator('.pdf-page .textLayer span').first().waitFor()
  const annotate = async (page: Page, words: string, tag: string, note: string) => {
    await selectWords(page, words)
    await page.getByLabel(tag).check()
    await page.getByLabel('Note (optional)').fill(note)
    await page.getByRole('button', { name: 'Annotate' }).click()
    await page.locator('.annotation-card', { hasText: words }).waitFor()
  }
  await annotate(admin, 'every change', 'Claim', 'Is that true for deletions too?')
  await annotate(admin, 'Yjs doc', 'Evidence', 'See the annotations schema.')
  const reply = admin.locator('.annotation-card', { hasText: 'every change' })
  await reply.getByRole('button', { name: 'Reply' }).click()
  await reply.getByPlaceholder('Your reply').fill('Yes: deletions are changes in the log as well.')
  await reply.getByRole('button', { name: 'Send reply' }).click()
  await reply.locator('.replies .comment').waitFor()
  await reply.locator('.replies').getByRole('button', { name: 'Vote up' }).click()

  // Bob's minutes, written by bob and the admin one change at a time, with a named version.
  const { id: minutes } = await ok<{ id: number }>('documentCreate', { name: 'Minutes' }, users.bob.token)
  const sync = `${server.url.replace('http', 'ws')}/sync`
  const bobs = await syncedProvider(sync, documentDocName(minutes), { params: { token: users.bob.token } })
  const admins = await syncedProvider(sync, documentDocName(minutes), { params: { token: adminToken } })
  const stored = () => server.engine.read(documentDocName(minutes), (doc) => doc.getText(documentContentDoc.text).toString())
  const edit = async (provider: typeof bobs, change: (text: ReturnType<typeof bobs.doc.getText>) => void) => {
    change(provider.doc.getText(documentContentDoc.text))
    const wanted = provider.doc.getText(documentContentDoc.text).toString()
    await waitFor('the edit to be stored', () => stored() === wanted)
    await waitFor('both to agree', () => bobs.doc.getText(documentContentDoc.text).toString() === admins.doc.getText(documentContentDoc.text).toString())
  }
  await edit(bobs, (text) => text.insert(0, 'Weekly meeting\nBudget: we keep the room for the spring term.\n'))
  await edit(admins, (text) => text.insert(text.length - 1, ' The party moves to Friday.'))
  await edit(bobs, (text) => text.format(0, 14, { bold: true }))
  await ok('versionCreate', { documentId: minutes, name: 'first draft' }, users.bob.token)
  await edit(admins, (text) => text.delete(text.toString().indexOf('for the spring term'), 'for the spring term'.length))
  await edit(admins, (text) => text.insert(text.toString().indexOf('room') + 'room'.length, ' until June'))
  await edit(bobs, (text) => text.insert(text.length, 'Action: bob books the caterer.\n'))
  closeProviders(bobs, admins)

  for (const [size, options] of Object.entries(sizes)) {
    const shot = (page: Page, name: string) => page.screenshot({ path: `${outDir}${name}-${size}.png`, fullPage: false })
    const visitor = await newPage(`visitor-${size}`, options)
    await visitor.goto(`${server.url}/login`)
    await visitor.getByRole('heading', { name: 'Sign in' }).waitFor()
    await shot(visitor, 'login')
    const bob = await newPage(`bob-${size}`, options)
    await signIn(bob, 'bob', 'bob-password')
    await bob.locator('table.documents tbody tr').nth(1).waitFor()
    await shot(bob, 'dashboard')
    await bob.goto(`${server.url}/edit/${minutes}`)
    await bob.locator('.sync-badge[data-state="online"]').waitFor()
    await shot(bob, 'editor')
    await bob.goto(`${server.url}/annotate/${pdf.id}`)
    await bob.locator('.pdf-highlight[data-color="success"]').first().waitFor()
    await bob.locator('.annotation-card .replies .comment').waitFor()
    await shot(bob, 'annotator')
    await bob.goto(`${server.url}/history/${minutes}`)
    await bob.getByLabel('Steps').selectOption({ label: 'every change' })
    const slider = bob.getByRole('slider', { name: 'Revision' })
    await slider.focus()
    await bob.keyboard.press('End')
    await bob.keyboard.press('ArrowLeft')
    await bob.locator('.revision-info[data-seq="5"]').waitFor()
    await shot(bob, 'history')
    await bob.getByLabel('From').selectOption({ label: 'version “first draft”' })
    await bob.getByLabel('To').selectOption({ label: 'the latest' })
    await bob.getByRole('button', { name: 'Compare side by side' }).click()
    await bob.locator('.comparison').scrollIntoViewIfNeeded()
    await shot(bob, 'history-compare')
  }
  if (problems.length > 0) throw new Error(`the pages reported problems:\n${problems.join('\n')}`)
  console.log(`screenshots written to ${outDir}`)
} finally {
  await browser.close()
  await stop()
}
