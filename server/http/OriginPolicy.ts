/**
 * Which web pages may call Folio with a user's credentials: pages Folio serves itself (their
 * origin's host is the one the request was sent to, or the public URL's), and pages on the origins
 * listed in `FOLIO_ALLOWED_ORIGINS`. Browsers send `Origin` on every websocket upgrade and every
 * request but GET and HEAD, so where those lack one no page sent them (y-websocket on Node, the
 * CLI, curl), and they pass.
 */
export class OriginPolicy {
  private readonly listed: ReadonlySet<string>

  constructor(allowedOrigins: readonly string[], publicUrl: string | null) {
    this.listed = new Set(publicUrl ? [...allowedOrigins, new URL(publicUrl).origin] : allowedOrigins)
  }

  /** Whether a request with this `Origin` header, sent to `host` (its `Host` header), may go ahead. */
  allows(origin: string | undefined, host: string | undefined): boolean {
    return origin === undefined || this.isListed(origin) || isSameHost(origin, host)
  }

  /** Whether `origin` is one of the configured origins: only those get CORS answers, with credentials. */
  isListed(origin: string | undefined): boolean {
    return origin !== undefined && this.listed.has(origin)
  }
}

/**
 * Whether the page's origin names the host the request was sent to. The scheme is not compared:
 * behind a TLS-terminating proxy a page on https reaches Folio over plain http with the same host.
 */
function isSameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined || !URL.canParse(origin) || !URL.canParse(`http://${host}`)) return false
  const page = new URL(origin)
  const target = new URL(`${page.protocol}//${host}`)
  return page.host === target.host
}
