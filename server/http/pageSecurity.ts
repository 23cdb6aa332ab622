import { secureAnswers } from './secureAnswers.js'

/** A Host header we are willing to echo into a CSP: a host name or IP literal with an optional port. */
const hostPattern = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/**
 * Where a page may connect: its own origin. The sync websocket is same-origin; older
 * browsers do not let `'self'` cover ws:/wss:, so the socket's origin is named explicitly from
 * the Host header (falling back to bare `'self'` when the header is odd rather than echoing it).
 */
function ownConnectSources(host: string | undefined): string {
  return host !== undefined && hostPattern.test(host) ? `'self' ws://${host} wss://${host}` : "'self'"
}

/**
 * The secure headers of Folio's own pages (the web app's and the pad's) and their bundles, with
 * their Content-Security-Policy: only our own bundle and stylesheet, no inline script or style,
 * no framing, no forms. Its referrer policy (`no-referrer`) keeps the pad's `/auth_session` link,
 * whose query carries the session secret, out of every request a page makes.
 */
export const pageSecurity = secureAnswers({
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: [(c) => ownConnectSources(c.req.header('host'))],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
})
