import { secureAnswers } from '../http/secureAnswers.js'

/** A Host header we are willing to echo into a CSP: a host name or IP literal with an optional port. */
const hostPattern = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/**
 * Where the pad's page may connect: its own origin. The sync websocket is same-origin; older
 * browsers do not let `'self'` cover ws:/wss:, so the socket's origin is named explicitly from
 * the Host header (falling back to bare `'self'` when the header is odd rather than echoing it).
 */
function padConnectSources(host: string | undefined): string {
  return host !== undefined && hostPattern.test(host) ? `'self' ws://${host} wss://${host}` : "'self'"
}

/**
 * The secure headers of the pad's pages and bundle, with their Content-Security-Policy: only our
 * own bundle and stylesheet, no inline script or style, no framing, no forms. Its referrer policy
 * (`no-referrer`) keeps the `/auth_session` link, whose query carries the session secret, out of
 * every request the page makes.
 */
export const padPageSecurity = secureAnswers({
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: [(c) => padConnectSources(c.req.header('host'))],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
})
