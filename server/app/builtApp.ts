import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import type { Logger } from '../../sync/index.js'
import { ensureAppBuilt } from './build.js'

/** One file of the built app, as an answer wants it. */
export interface AppFile {
  /** Its own ArrayBuffer, as a Response body wants. */
  contents: Uint8Array<ArrayBuffer>
  contentType: string
  /** A strong ETag of the contents, so revalidating browsers get a 304. */
  etag: string
}

/** The built app in memory: its one HTML page and the files it loads, by URL path (`/app/index-3f2a.js`). */
export interface BuiltApp {
  page: AppFile
  files: ReadonlyMap<string, AppFile>
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker: a module worker is refused without a JavaScript type (the answers say nosniff).
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

function appFile(path: string): AppFile {
  const contents = new Uint8Array(readFileSync(path))
  return {
    contents,
    contentType: contentTypes[extname(path)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(contents).digest('base64url').slice(0, 22)}"`,
  }
}

/** Reads a build folder: `index.html` is the page, every other file is served at its path under `/`. */
export function readBuiltApp(dir: string): BuiltApp {
  const files = new Map<string, AppFile>()
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.set(`/${relative(dir, path).split(sep).join('/')}`, appFile(path))
    }
  }
  walk(dir)
  const page = files.get('/index.html')
  if (!page) throw new Error(`the app build in ${dir} has no index.html`)
  files.delete('/index.html')
  return { page, files }
}

/**
 * The app, built if its build is missing or stale on first use and then kept in memory for the
 * life of the process (the sources do not change under a running server). Building only when a
 * page is first asked for keeps every other start as fast as before. A failed build is not
 * cached, so the next request tries again.
 */
export function lazyBuiltApp(log: Logger): () => Promise<BuiltApp> {
  let pending: Promise<BuiltApp> | null = null
  return () => {
    pending ??= (async () => {
      const startedAt = Date.now()
      const { dir, built } = await ensureAppBuilt()
      if (built) log.info('app.built', { dir, ms: Date.now() - startedAt })
      return readBuiltApp(dir)
    })().catch((error: unknown) => {
      pending = null
      throw error
    })
    return pending
  }
}
