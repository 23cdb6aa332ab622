import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { etag } from 'hono/etag'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type BundleFile, lazyPadBundle, type PadBundle } from './bundle.js'
import { padSessionCookie } from './cookie.js'
import { pageSecurity } from '../http/pageSecurity.js'
import { clientScriptPath, clientStylePath, messagePage, padPage } from './pages.js'
import { parseRoomId } from '../../schema/index.js'
import { parseAuthSessionQuery } from './params.js'
import type { PadRouteDeps } from './types.js'

const expiredLink = 'This pad link is no longer valid; ask the moderator for a new one.'

/**
 * The protocol pad over HTTP: `GET /auth_session` (the link a participant is given) turns a
 * pad session into a per-room httpOnly cookie and redirects to `GET /pad/:roomId`, the editor
 * page; `/pad/client.js` and `/pad/client.css` serve its bundle. The sync endpoint reads the same
 * cookie on the websocket upgrade, so the session secret never reaches page scripts.
 * Session ids are secrets: they are never logged. Its pages and bundle carry `pageSecurity`.
 */
export function padRoutes({ describeSession, secureCookie, log }: PadRouteDeps): Hono {
  const app = new Hono()
  const bundle = lazyPadBundle()
  // Never cached: the page embeds who the session belongs to.
  const html = (c: Context, status: ContentfulStatusCode, body: string) => c.html(body, status, { 'cache-control': 'no-store' })
  app.use('/auth_session', pageSecurity)
  app.use('/pad/*', pageSecurity)

  app.onError((error, c) => {
    log.error('pad.request_failed', { path: c.req.path, error: error.message })
    return html(c, 500, messagePage('Pad unavailable', 'Something went wrong on the server; try again in a moment.'))
  })

  app.get('/auth_session', async (c) => {
    const parsed = parseAuthSessionQuery(new URL(c.req.url).searchParams)
    if (!parsed.ok) return html(c, 400, messagePage('Invalid pad link', `This pad link is malformed: ${parsed.problem}`))
    const { roomId, sessionId } = parsed.link
    const view = await describeSession(roomId, sessionId)
    if (!view) {
      log.info('pad.link_refused', { roomId })
      return html(c, 403, messagePage('Pad link expired', expiredLink))
    }
    setCookie(c, padSessionCookie(roomId), sessionId, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secureCookie })
    log.info('pad.session_cookie_set', { roomId, participantId: view.participantId, access: view.access })
    c.header('cache-control', 'no-store')
    return c.redirect(`/pad/${roomId}`, 302)
  })

  // Registered before `/pad/:roomId`, which would otherwise capture them. A build that fails is
  // answered by onError above, and tried again on the next request.
  const serveBundle = (pick: (bundle: PadBundle) => BundleFile, contentType: string) => async (c: Context) => {
    const file = pick(await bundle())
    return c.body(file.contents, 200, { 'cache-control': 'no-cache', etag: file.etag, 'content-type': contentType })
  }
  // Revalidated on every load (`no-cache`); Hono's etag answers 304 while the process serves the same build.
  app.get(clientScriptPath, etag(), serveBundle((built) => built.script, 'text/javascript; charset=utf-8'))
  app.get(clientStylePath, etag(), serveBundle((built) => built.style, 'text/css; charset=utf-8'))

  app.get('/pad/:roomId', async (c) => {
    const roomId = parseRoomId(c.req.param('roomId'))
    if (roomId === null) return html(c, 404, messagePage('No such pad', 'This address does not name a meeting pad.'))
    const cookieName = padSessionCookie(roomId)
    const sessionId = getCookie(c, cookieName)
    if (!sessionId) {
      return html(c, 403, messagePage('No pad session', 'This browser has no session for this pad. Open the pad link you were given in the meeting, or ask the moderator for a new one.'))
    }
    const view = await describeSession(roomId, sessionId)
    if (!view) {
      // The session ended (or was never valid): drop the stale cookie along with the refusal.
      deleteCookie(c, cookieName, { path: '/', secure: secureCookie })
      return html(c, 403, messagePage('Pad session ended', expiredLink))
    }
    return html(c, 200, padPage(view))
  })

  return app
}
