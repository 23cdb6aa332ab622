import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { annotationsDocName, contentFormats, documentDocName } from '../../schema/index.js'
import type { DocHistory } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { readableDocumentId, requireUser, type SignedIn } from '../access/index.js'
import type { SessionStore } from '../auth/index.js'
import { dataRoute } from '../http/dataRoute.js'
import { parseQuery } from '../http/parseQuery.js'
import { authorshipOf, contentAt, historyPage } from './answers.js'
import { accountAuthorNames, type AuthorNames } from './authorNames.js'
import { requireSessionAccess } from './sessionAccess.js'

const documentIdParam = z.coerce.number().int().positive()
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
const authorshipQuery = z.object({ seq: z.coerce.number().int().min(0).optional() })

/** Which doc a history route reads, and who may read it. */
export interface HistoryTarget<R> {
  /** `requireUser`: every history route is for signed-in users only. */
  signedIn: MiddlewareHandler<SignedIn>
  /** Checks that the caller may read the doc the request names, and says what the request is about. */
  target: (c: Context<SignedIn>) => R | Promise<R>
  docName: (target: R) => string
  /** Names the authors the authorship answer lists, beside their spans. */
  describeAuthors?: (target: R) => Record<string, unknown>
  /** The names of the accounts among `userIds`, given as `authors` beside revisions and spans. */
  authorNames?: AuthorNames
}

/**
 * `GET <prefix>/history`, `<prefix>/content`, `<prefix>/authorship` of the doc a request names: its
 * revisions, its content at any past seq or time, and who wrote what. Each answer carries
 * `completeFromSeq`, from where the retained log is complete. Access is checked before the query
 * is read.
 */
export function docHistoryRoutes<R>(history: DocHistory, prefix: string, { signedIn, target, docName, describeAuthors = () => ({}), authorNames }: HistoryTarget<R>): Hono {
  const app = new Hono()
  /** `authors`: the names of those who wrote, when the doc's authors have names. */
  const named = async (userIds: (string | null)[]) => (authorNames ? { authors: await authorNames(userIds) } : {})
  app.get(
    `${prefix}/history`,
    signedIn,
    dataRoute<SignedIn>(async (c) => {
      const page = historyPage(history, docName(await target(c)), parseQuery(historyQuery, c.req.query(), 'query'))
      return { ...page, ...(await named(page.revisions.map((revision) => revision.userId))) }
    }),
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
      const authorship = authorshipOf(history, docName(about), parseQuery(authorshipQuery, c.req.query(), 'query'))
      return { ...authorship, ...describeAuthors(about), ...(await named(authorship.spans.map((span) => span.userId))) }
    }),
  )
  return app
}

const sessionQuery = z.object({ studySessionId: z.coerce.number().int().positive().optional() })

/** A document's doc or one study session's copy of it. */
export interface DocumentTarget {
  documentId: number
  studySessionId: number | null
}

/**
 * The document a `/documents/:id/...` history route reads, checked: with `?studySessionId=` that
 * session's copy, for those the study scoping lets see the session; else the document itself,
 * for its readers.
 */
export function documentTarget(db: FolioDatabase): (c: Context<SignedIn>) => Promise<DocumentTarget> {
  return async (c) => {
    const { studySessionId } = parseQuery(sessionQuery, c.req.query(), 'query')
    if (studySessionId === undefined) return { documentId: await readableDocumentId(c), studySessionId: null }
    const documentId = parseQuery(documentIdParam, c.req.param('id'), 'id')
    await requireSessionAccess(db, c.var.can, documentId, studySessionId)
    return { documentId, studySessionId }
  }
}

/**
 * The history routes of documents, `GET /documents/:id/history|content|authorship`, and of their
 * annotations docs, `GET /documents/:id/annotations/history|content|authorship`: for everyone who
 * may read the document, or with `?studySessionId=` for a study session's own copy, for those the
 * study scoping lets see that session.
 */
export function historyRoutes(history: DocHistory, sessions: SessionStore, db: FolioDatabase): Hono {
  const target = documentTarget(db)
  const signedIn = requireUser(sessions, db)
  const authorNames = accountAuthorNames(db)
  const app = new Hono()
  app.route('/', docHistoryRoutes(history, '/:id', { signedIn, target, authorNames, docName: (about) => documentDocName(about.documentId, about.studySessionId) }))
  app.route('/', docHistoryRoutes(history, '/:id/annotations', { signedIn, target, authorNames, docName: (about) => annotationsDocName(about.documentId, about.studySessionId) }))
  return app
}
