/** The server's base URL without a trailing slash; a path prefix (a reverse proxy's) is kept. */
export function httpBase(url: string): string {
  const parsed = new URL(url)
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`createClient: url must be http(s)://…, got "${url}"`)
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`
}

/** The websocket URL of the same server: http -> ws, https -> wss. */
export function wsBase(httpBaseUrl: string): string {
  return httpBaseUrl.replace(/^http/, 'ws')
}

/** `ws://host/events?token=…`. */
export function eventsUrl(wsBaseUrl: string, token: string): string {
  return `${wsBaseUrl}/events?token=${encodeURIComponent(token)}`
}

/** `ws://host/mux?token=…`, the docs' shared socket; without a token each doc is decided on the page's cookies alone. */
export function muxUrl(wsBaseUrl: string, token: string | null): string {
  return token ? `${wsBaseUrl}/mux?token=${encodeURIComponent(token)}` : `${wsBaseUrl}/mux`
}
