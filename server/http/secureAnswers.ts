import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

type ContentSecurityPolicy = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>

/**
 * Hono's secure headers on an answer: `nosniff`, no referrer, no framing by other sites, and the
 * cross-origin isolation headers; with `contentSecurityPolicy`, that policy too (the pad's pages
 * have one). Strict-Transport-Security is not sent: Folio itself speaks plain HTTP, and whether a
 * host and its subdomains are HTTPS-only is the TLS-terminating proxy's to declare.
 */
export function secureAnswers(contentSecurityPolicy?: ContentSecurityPolicy): MiddlewareHandler {
  return secureHeaders({ strictTransportSecurity: false, ...(contentSecurityPolicy ? { contentSecurityPolicy } : {}) })
}
