import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { contentFormats, documentContentDoc } from '../../schema/index.js'
import type { DocHistory, FolioDatabase, Logger } from '../../sync/index.js'
import { Permissions } from '../access/index.js'
import { failureAnswer } from '../answers.js'
import type { SessionStore } from '../auth/index.js'
import { tokenFromContext } from '../auth/tokens.js'
import { InvalidInputError, NotAuthenticatedError } from '../errors.js'
import { authorshipOf, contentAt, historyPage } from '../exports/history.js'
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
 * Wraps a `/:id/...` handler: resolves the token, checks that the caller may read the document,
 * and answers `{success, data}` with what the handler returns (a Response is sent as it is).
 */
export function documentReadRoute(sessions: SessionStore, db: FolioDatabase, log: Logger) {
  return (handler: (c: Context, request: DocumentRequest) => unknown) => async (c: Context) => {
    try {
      const user = sessions.resolve(tokenFromContext(c))
      if (!user) throw new NotAuthenticatedError()
      const documentId = parseQuery(documentIdParam, c.req.param('id'), 'id')
      const can = new Permissions(db, user)
      can.requireDocumentAccess(documentId)
      const data = handler(c, { can, documentId })
      return data instanceof Response ? data : c.json({ success: true, data })
    } catch (error) {
      const { status, answer } = failureAnswer(error, log, c.req.path)
      return c.json(answer, status as 400)
    }
  }
}

/**
 * `GET /documents/:id/history`, `/content`, `/authorship`: a document's revisions, its content at
 * any past seq or time, and who wrote what, for everyone who may read the document. Each answer
 * carries `completeFromSeq`, from where the retained log is complete.
 */
export function historyRoutes(history: DocHistory, sessions: SessionStore, db: FolioDatabase, log: Logger): Hono {
  const app = new Hono()
  const respond = documentReadRoute(sessions, db, log)
  const docName = (request: DocumentRequest) => documentContentDoc.name(request.documentId)

  app.get(
    '/:id/history',
    respond((c, request) => historyPage(history, docName(request), parseQuery(historyQuery, c.req.query(), 'query'))),
  )

  app.get(
    '/:id/content',
    respond((c, request) => contentAt(history, docName(request), parseQuery(contentQuery, c.req.query(), 'query'))),
  )

  app.get(
    '/:id/authorship',
    respond((_c, request) => authorshipOf(history, docName(request))),
  )
  return app
}

/** `value` validated by `schema`, or InvalidInputError naming the wrong fields as `invalid <what>: ...`. */
export function parseQuery<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new InvalidInputError(describeIssues(result.error).replace('invalid input:', `invalid ${what}:`))
  return result.data
}
