import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { contentFormats, documentDocName } from '../../schema/index.js'
import type { DocHistory } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { readableDocumentId, requireUser, type SignedIn } from '../access/index.js'
import type { SessionStore } from '../auth/index.js'
import { dataRoute } from '../http/dataRoute.js'
import { parseQuery } from '../http/parseQuery.js'
import { authorshipOf, contentAt, historyPage } from './answers.js'

const historyQuery = z.object({
  // Default: the first change the retained log holds (1 unless retention trimmed it).
  fromSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  groupMs: z.coerce.number().int().min(0).default(0),
})
const contentQuery = z
  .object({
    seq: z.coerce.number().int().min(0).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    format: z.enum(contentFormats).default('delta'),
  })
  .refine((query) => query.seq === undefined || query.at === undefined, { message: 'give seq or at, not both' })

/** Which doc a history route reads, and who may read it. */
export interface HistoryTarget<R> {
  /** `requireUser`: every history route is for signed-in users only. */
  signedIn: MiddlewareHandler<SignedIn>
  /** Checks that the caller may read the doc the request names, and says what the request is about. */
  target: (c: Context<SignedIn>) => R | Promise<R>
  docName: (target: R) => string
  /** Names the authors the authorship answer lists, beside their spans. */
  describeAuthors?: (target: R) => Record<string, unknown>
}

/**
 * `GET <prefix>/history`, `<prefix>/content`, `<prefix>/authorship` of the doc a request names: its
 * revisions, its content at any past seq or time, and who wrote what. Each answer carries
 * `completeFromSeq`, from where the retained log is complete. Access is checked before the query
 * is read.
 */
export function docHistoryRoutes<R>(history: DocHistory, prefix: string, { signedIn, target, docName, describeAuthors = () => ({}) }: HistoryTarget<R>): Hono {
  const app = new Hono()
  app.get(
    `${prefix}/history`,
    signedIn,
    dataRoute<SignedIn>(async (c) => historyPage(history, docName(await target(c)), parseQuery(historyQuery, c.req.query(), 'query'))),
  )
  app.get(
    `${prefix}/content`,
    signedIn,
    dataRoute<SignedIn>(async (c) => contentAt(history, docName(await target(c)), parseQuery(contentQuery, c.req.query(), 'query'))),
  )
  app.get(
    `${prefix}/authorship`,
    signedIn,
    dataRoute<SignedIn>(async (c) => {
      const about = await target(c)
      return { ...authorshipOf(history, docName(about)), ...describeAuthors(about) }
    }),
  )
  return app
}

/** The history routes of documents: `GET /documents/:id/history|content|authorship`, for everyone who may read the document. */
export function historyRoutes(history: DocHistory, sessions: SessionStore, db: FolioDatabase): Hono {
  return docHistoryRoutes(history, '/:id', { signedIn: requireUser(sessions, db), target: readableDocumentId, docName: documentDocName })
}
