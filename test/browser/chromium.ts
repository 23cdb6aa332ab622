import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's chromium, which `.ci/run` installs; where it is missing the browser suites skip. */
export const chromiumPath = '/usr/bin/chromium'

/** Whether chromium is there; when it is not, says why the suite `what` skips. */
export function chromiumFor(what: string): boolean {
  const present = existsSync(chromiumPath)
  if (!present) console.warn(`chromium not found at ${chromiumPath}: install Debian chromium (apt-get install chromium) to run ${what}; skipping`)
  return present
}

/** Headless chromium without the background traffic (sync, updates, QUIC) that a test does not want. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}
