import { Hono, type Context } from 'hono'
import { etag } from 'hono/etag'
import type { Logger } from '../../sync/index.js'
import { pageSecurity } from '../http/pageSecurity.js'
import { type AppFile, lazyBuiltApp } from './builtApp.js'

/**
 * The addresses of the app's screens (the routes of `clients/app/src/routes.ts`): each answers the
 * app's one page, whose script then shows the screen. Only these, so every other unknown path
 * still answers 404 and no route of another feature is shadowed.
 */
export const appPagePaths = ['/', '/login', '/register', '/edit/:documentId{[0-9]+}', '/annotate/:documentId{[0-9]+}', '/history/:documentId{[0-9]+}'] as const

/** Where the build's scripts and stylesheets are served (the `assetsDir` of `clients/app/vite.config.ts`). */
const appAssetsPath = '/app'

/** The page is revalidated on every load (its ETag answers 304 while the build is the same). */
const pageCaching = 'no-cache'
/** The bundle's file names carry their content's hash: a changed file is a new name, so browsers keep each for good. */
const hashedFileCaching = 'public, max-age=31536000, immutable'

/**
 * The web app (`clients/app/`) over HTTP: its page at every screen's address, its bundle under
 * `/app/`. Both carry the pad's Content-Security-Policy (own scripts and styles only, nothing
 * inline, sockets to this origin).
 */
export function appRoutes(log: Logger): Hono {
  const app = new Hono()
  const built = lazyBuiltApp(log)

  app.onError((error, c) => {
    log.error('app.request_failed', { path: c.req.path, error: error.message })
    return c.text('The Folio app is unavailable: the server could not build or read it. Its log says why.', 500, { 'cache-control': 'no-store' })
  })

  const send = (c: Context, file: AppFile, cacheControl: string) =>
    c.body(file.contents, 200, { 'cache-control': cacheControl, etag: file.etag, 'content-type': file.contentType })

  for (const path of appPagePaths) {
    app.use(path, pageSecurity)
    app.get(path, etag(), async (c) => send(c, (await built()).page, pageCaching))
  }
  app.use(`${appAssetsPath}/*`, pageSecurity)
  app.get(`${appAssetsPath}/*`, etag(), async (c) => {
    const file = (await built()).files.get(c.req.path)
    return file ? send(c, file, hashedFileCaching) : c.text('Not Found', 404)
  })
  return app
}
