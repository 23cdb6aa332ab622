import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { contentFormats, documentDocName } from '../../schema/index.js'
import type { DocHistory, FolioDatabase, Logger } from '../../sync/index.js'
import { Permissions } from '../access/index.js'
import { failureAnswer } from '../answers.js'
import type { SessionStore, SessionUser } from '../auth/index.js'
import { tokenFromContext } from '../auth/tokens.js'
import { InvalidInputError, NotAuthenticatedError } from '../errors.js'
import { authorshipOf, contentAt, historyPage } from './answers.js'
import { describeIssues } from '../http/body.js'

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

/** What a document route handler gets: the caller's permissions and the document. */
export interface DocumentRequest {
  can: Permissions
  documentId: number
}

/**
 * Wraps a route handler: resolves the token, lets `resolve` check the caller's access and say what
 * the request is about, and answers `{success, data}` with what the handler returns (a Response is
 * sent as it is). Every failure becomes an answer in `failureAnswer`.
 */
export function authorizedRoute<R>(sessions: SessionStore, log: Logger, resolve: (c: Context, user: SessionUser) => R) {
  return (handler: (c: Context, request: R) => unknown) => async (c: Context) => {
    try {
      const user = sessions.resolve(tokenFromContext(c))
      if (!user) throw new NotAuthenticatedError()
      const data = handler(c, resolve(c, user))
      return data instanceof Response ? data : c.json({ success: true, data })
    } catch (error) {
      const { status, answer } = failureAnswer(error, log, c.req.path)
      return c.json(answer, status as 400)
    }
  }
}

/** `authorizedRoute` for `/:id/...` routes of a document the caller may read. */
export function documentReadRoute(sessions: SessionStore, db: FolioDatabase, log: Logger) {
  return authorizedRoute(sessions, log, (c, user): DocumentRequest => {
    const documentId = parseQuery(documentIdParam, c.req.param('id'), 'id')
    const can = new Permissions(db, user)
    can.requireDocumentAccess(documentId)
    return { can, documentId }
  })
}

/**
 * `GET <prefix>/history`, `<prefix>/content`, `<prefix>/authorship` of the doc `docName` names for a
 * request: its revisions, its content at any past seq or time, and who wrote what. Each answer
 * carries `completeFromSeq`, from where the retained log is complete. `respond` checks access.
 */
export function docHistoryRoutes<R>(
  history: DocHistory,
  prefix: string,
  respond: (handler: (c: Context, request: R) => unknown) => (c: Context) => Promise<Response>,
  docName: (request: R) => string,
  describeAuthors: (request: R) => Record<string, unknown> = () => ({}),
): Hono {
  const app = new Hono()
  app.get(
    `${prefix}/history`,
    respond((c, request) => historyPage(history, docName(request), parseQuery(historyQuery, c.req.query(), 'query'))),
  )
  app.get(
    `${prefix}/content`,
    respond((c, request) => contentAt(history, docName(request), parseQuery(contentQuery, c.req.query(), 'query'))),
  )
  app.get(
    `${prefix}/authorship`,
    respond((_c, request) => ({ ...authorshipOf(history, docName(request)), ...describeAuthors(request) })),
  )
  return app
}

/** The history routes of documents: `GET /documents/:id/history|content|authorship`, for everyone who may read the document. */
export function historyRoutes(history: DocHistory, sessions: SessionStore, db: FolioDatabase, log: Logger): Hono {
  return docHistoryRoutes(history, '/:id', documentReadRoute(sessions, db, log), (request) => documentDocName(request.documentId))
}

/** `value` validated by `schema`, or InvalidInputError naming the wrong fields as `invalid <what>: ...`. */
export function parseQuery<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new InvalidInputError(describeIssues(result.error).replace('invalid input:', `invalid ${what}:`))
  return result.data
}
