/** A Host header we are willing to echo into a CSP: a host name or IP literal with an optional port. */
const hostPattern = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/**
 * The page's Content-Security-Policy: only our own bundle and stylesheet, no inline script or
 * style, no framing, no forms. The sync websocket is same-origin; older browsers do not let
 * `'self'` cover ws:/wss:, so the socket's origin is named explicitly from the Host header
 * (falling back to bare `'self'` when the header is odd rather than echoing it).
 */
export function pageSecurityPolicy(host: string | undefined): string {
  const sockets = host !== undefined && hostPattern.test(host) ? ` ws://${host} wss://${host}` : ''
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Headers for every HTML answer of the pad: never cached (the page embeds who the session
 * belongs to), no referrer (the `/auth_session` link carries the session secret in its query).
 */
export function pageHeaders(host: string | undefined): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'content-security-policy': pageSecurityPolicy(host),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  }
}
