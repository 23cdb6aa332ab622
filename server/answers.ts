import type { Answer } from '../schema/index.js'
import { type Logger, StoreUnavailableError } from '../sync/index.js'
import { FolioError, RateLimitedError } from './errors.js'

/** When a caller whose change the store refused should try again: long enough for a full disk to be noticed, short enough to feel live. */
const storeRetryAfterSeconds = 5

export type { Answer }

/** How a failed request is answered: the one place errors become answers, for RPC and HTTP routes alike. */
export function failureAnswer(error: unknown, log: Logger, what: string): { status: number; answer: Answer; headers: Record<string, string> } {
  if (error instanceof FolioError) {
    const headers: Record<string, string> = error instanceof RateLimitedError ? { 'Retry-After': String(error.retryAfterSeconds) } : {}
    return { status: error.status, answer: { success: false, message: error.message }, headers }
  }
  if (error instanceof StoreUnavailableError) {
    log.warn('request.not_stored', { what, error: String(error.cause) })
    return { status: 503, answer: { success: false, message: error.message }, headers: { 'Retry-After': String(storeRetryAfterSeconds) } }
  }
  log.error('request.failed', { what, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  return { status: 500, answer: { success: false, message: `internal error in ${what}` }, headers: {} }
}
