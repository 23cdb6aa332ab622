import { getCookie } from 'hono/cookie'
import type { Context } from 'hono'

/** Name of the httpOnly cookie that carries the login token for browsers. */
export const tokenCookie = 'folio_token'

/** The token of an HTTP request: `Authorization: Bearer`, else the cookie. */
export function tokenFromContext(c: Context): string | null {
  const header = c.req.header('authorization')
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || null
  return getCookie(c, tokenCookie) ?? null
}

/** The token of a websocket upgrade: the `token` query parameter, else the cookie. */
export function tokenFromUpgrade(url: URL, cookieHeader: string | undefined): string | null {
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  for (const pair of cookieHeader?.split(';') ?? []) {
    const [name, ...value] = pair.trim().split('=')
    if (name === tokenCookie) return decodeURIComponent(value.join('='))
  }
  return null
}
