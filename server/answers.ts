import type { Answer } from '../schema/index.js'
import { type Logger, StoreUnavailableError, TransactionAbandonedError } from '../sync/index.js'
import { FolioError, RateLimitedError } from './errors.js'

/** When a caller whose change the store refused should try again: long enough for a full disk to be noticed, short enough to feel live. */
const storeRetryAfterSeconds = 5

export type { Answer }

/** The statuses a failure is answered with: a typed error's own, 503 for a write the store refused, 500 for anything else. */
export type FailureStatus = FolioError['status'] | 500 | 503

/**
 * How a failed request is answered: the one place errors become answers, for RPC calls (the
 * registry) and HTTP routes (`app.onError`, see `http/httpApp.ts`) alike. An unknown error is
 * logged with its stack and answered without it.
 */
export function failureAnswer(error: unknown, log: Logger, what: string): { status: FailureStatus; answer: Answer; headers: Record<string, string> } {
  if (error instanceof FolioError) {
    const headers: Record<string, string> = error instanceof RateLimitedError ? { 'Retry-After': String(error.retryAfterSeconds) } : {}
    return { status: error.status, answer: { success: false, message: error.message }, headers }
  }
  if (error instanceof StoreUnavailableError) {
    log.warn('request.not_stored', { what, error: String(error.cause) })
    return { status: 503, answer: { success: false, message: error.message }, headers: { 'Retry-After': String(storeRetryAfterSeconds) } }
  }
  if (error instanceof TransactionAbandonedError) {
    // The server is stopping: the call wrote nothing, and the next server takes it.
    return { status: 503, answer: { success: false, message: error.message }, headers: { 'Retry-After': String(storeRetryAfterSeconds) } }
  }
  log.error('request.failed', { what, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  return { status: 500, answer: { success: false, message: `internal error in ${what}` }, headers: {} }
}
