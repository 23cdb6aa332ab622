import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Logger } from '../../sync/index.js'
import { ForbiddenError } from '../errors.js'
import type { OriginPolicy } from './OriginPolicy.js'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-origin HTTP: pages on listed origins get CORS answers with credentials (so an editor
 * served elsewhere can log in and call RPC with the cookie); other origins get no CORS headers, so
 * the browser keeps the answer from them. A state-changing request from a page the policy does not
 * allow is refused (ForbiddenError) before any handler runs: a plain-text POST needs no preflight,
 * and from a sibling subdomain (same site) it would carry the cookie.
 */
export function crossOrigin(policy: OriginPolicy, log: Logger): MiddlewareHandler {
  // Hono's csrf middleware would also refuse requests that carry neither Origin nor Sec-Fetch-Site,
  // which is every non-browser client; this check refuses only pages that name a foreign origin.
  const withCors = cors({ origin: (origin) => (policy.isListed(origin) ? origin : null), credentials: true, maxAge: 600 })
  return async (c, next) => {
    const origin = c.req.header('origin')
    if (!safeMethods.has(c.req.method) && !policy.allows(origin, c.req.header('host'))) {
      log.info('http.origin_refused', { origin, method: c.req.method, path: c.req.path })
      throw new ForbiddenError(`requests from origin ${origin} are not allowed here`)
    }
    return policy.isListed(origin) ? withCors(c, next) : next()
  }
}
