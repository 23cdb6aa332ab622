import { getCookie } from 'hono/cookie'
import type { Context } from 'hono'
import type { UpgradeCredentials } from '../../sync/index.js'

/** Name of the httpOnly cookie that carries the login token for browsers. */
export const tokenCookie = 'folio_token'

/** The token of an HTTP request: `Authorization: Bearer`, else the cookie. */
export function tokenFromContext(c: Context): string | null {
  const header = c.req.header('authorization')
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || null
  return getCookie(c, tokenCookie) ?? null
}

/** The credentials of a websocket upgrade: the `token` query parameter and the cookies. */
export function upgradeCredentials(url: URL, cookieHeader: string | undefined): UpgradeCredentials {
  return {
    queryToken: url.searchParams.get('token') || null,
    cookie(wanted) {
      for (const pair of cookieHeader?.split(';') ?? []) {
        const [name, ...value] = pair.trim().split('=')
        if (name === wanted) return safeDecode(value.join('='))
      }
      return null
    },
  }
}

/** The login token of a websocket upgrade: the `token` query parameter, else the login cookie. */
export function loginToken(credentials: UpgradeCredentials): string | null {
  return credentials.queryToken ?? credentials.cookie(tokenCookie)
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
