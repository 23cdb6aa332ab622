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
