import { PDFDocument, StandardFonts } from 'pdf-lib'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'

/** A phone's viewport (CSS pixels), where the app must still fit and work. */
export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true }

/**
 * Pages of the web app for one test suite: each in a fresh browser context (its own storage, as
 * a separate browser would have), every script error, console error, CSP violation and failed
 * load collected in `problems`, which a test expects to stay empty.
 */
export function appPages(browser: () => Browser, serverUrl: () => string) {
  const problems: string[] = []

  async function newPage(label: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await browser().newContext(options)).newPage()
    page.on('pageerror', (error) => problems.push(`${label}: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${label}: ${message.text()}`)
    })
    return page
  }

  /** Signs in on the login screen by keyboard alone, and waits for the dashboard. */
  async function signIn(page: Page, userName: string, password: string): Promise<void> {
    await page.goto(`${serverUrl()}/login`)
    await page.locator('input[name="userName"]').focus()
    await page.keyboard.type(userName)
    await page.keyboard.press('Tab')
    await page.keyboard.type(password)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Documents' }).waitFor()
  }

  /** A signed-in page of `userName`. */
  async function signedInPage(userName: string, password: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await newPage(userName, options)
    await signIn(page, userName, password)
    return page
  }

  return { problems, newPage, signIn, signedInPage }
}

/** A one-page PDF with two lines of text, as pdf-lib writes it (Helvetica, not embedded), in base64 as `documentAdd` takes it. */
export async function twoLinePdf(): Promise<string> {
  const pdf = await PDFDocument.create()
  const page = pdf.addPage([595, 842])
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  page.drawText('Folio keeps every change in its log.', { x: 60, y: 760, size: 20, font })
  page.drawText('Annotations live on a Yjs doc.', { x: 60, y: 720, size: 20, font })
  return Buffer.from(await pdf.save()).toString('base64')
}

/** Drags the mouse over `words` on page 1 of the annotator, as a reader selects them. */
export async function selectWords(page: Page, words: string): Promise<void> {
  const box = await page.evaluate((wanted) => {
    const layer = document.querySelector('.pdf-page[data-page="1"] .textLayer')!
    const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const at = node.data.indexOf(wanted)
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(node, at)
      range.setEnd(node, at + wanted.length)
      const rect = range.getBoundingClientRect()
      return { left: rect.left, right: rect.right, y: rect.top + rect.height / 2 }
    }
    throw new Error(`"${wanted}" is not on page 1`)
  }, words)
  await page.mouse.move(box.left + 1, box.y)
  await page.mouse.down()
  await page.mouse.move((box.left + box.right) / 2, box.y, { steps: 4 })
  await page.mouse.move(box.right - 1, box.y, { steps: 4 })
  await page.mouse.up()
}
