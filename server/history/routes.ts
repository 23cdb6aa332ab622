import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { documentContentDoc } from '../../schema/index.js'
import type { DocHistory, FolioDatabase, Logger } from '../../sync/index.js'
import { Permissions } from '../access/index.js'
import { failureAnswer } from '../answers.js'
import type { SessionStore } from '../auth/index.js'
import { tokenFromContext } from '../auth/tokens.js'
import { InvalidInputError, NotAuthenticatedError, NotFoundError } from '../errors.js'
import { describeIssues } from '../http/body.js'
import { deltaToHtml } from './deltaToHtml.js'

const documentIdParam = z.coerce.number().int().positive()
const historyQuery = z.object({
  fromSeq: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  groupMs: z.coerce.number().int().min(0).default(0),
})
const contentQuery = z
  .object({
    seq: z.coerce.number().int().min(0).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    format: z.enum(['delta', 'text', 'html', 'json']).default('delta'),
  })
  .refine((query) => query.seq === undefined || query.at === undefined, { message: 'give seq or at, not both' })

/**
 * `GET /documents/:id/history`, `/content`, `/authorship`: a document's revisions, its content at
 * any past seq or time, and who wrote what, for everyone who may read the document.
 */
export function historyRoutes(history: DocHistory, sessions: SessionStore, db: FolioDatabase, log: Logger): Hono {
  const app = new Hono()
  const respond = (handler: (c: Context, docName: string) => unknown) => async (c: Context) => {
    try {
      const user = sessions.resolve(tokenFromContext(c))
      if (!user) throw new NotAuthenticatedError()
      const documentId = parse(documentIdParam, c.req.param('id'), 'id')
      new Permissions(db, user).requireDocumentAccess(documentId)
      return c.json({ success: true, data: handler(c, documentContentDoc.name(documentId)) })
    } catch (error) {
      const { status, answer } = failureAnswer(error, log, c.req.path)
      return c.json(answer, status as 400)
    }
  }

  app.get(
    '/:id/history',
    respond((c, docName) => {
      const { fromSeq, limit, groupMs } = parse(historyQuery, c.req.query(), 'query')
      // The whole log is retained, so history is complete from seq 1.
      return { ...history.revisions(docName, { fromSeq, limit, groupMs }), completeFromSeq: 1 }
    }),
  )

  app.get(
    '/:id/content',
    respond((c, docName) => {
      const query = parse(contentQuery, c.req.query(), 'query')
      const lastSeq = history.lastSeq(docName)
      const seq = query.seq ?? (query.at ? history.seqAtTime(docName, Date.parse(query.at)) : lastSeq)
      if (seq > lastSeq) throw new NotFoundError(`seq ${seq} is past the last change (${lastSeq})`)
      const doc = history.stateAt(docName, seq)
      try {
        const text = doc.getText(documentContentDoc.text)
        const content = { delta: () => text.toDelta(), text: () => text.toString(), html: () => deltaToHtml(text.toDelta()), json: () => doc.toJSON() }[query.format]()
        return { seq, format: query.format, content }
      } finally {
        doc.destroy()
      }
    }),
  )

  app.get(
    '/:id/authorship',
    respond((_c, docName) => ({ spans: history.authorship(docName) })),
  )
  return app
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new InvalidInputError(describeIssues(result.error).replace('invalid input:', `invalid ${what}:`))
  return result.data
}
