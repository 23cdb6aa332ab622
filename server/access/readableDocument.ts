import type { Context } from 'hono'
import { z } from 'zod'
import { parseQuery } from '../http/parseQuery.js'
import type { SignedIn } from './requireUser.js'

const documentIdParam = z.coerce.number().int().positive()

/**
 * The document a `/documents/:id/...` route is about, once it is checked that the signed-in caller
 * may read it: InvalidInputError for an `:id` that is not a document id, and the access check's
 * NotFoundError or ForbiddenError.
 */
export async function readableDocumentId(c: Context<SignedIn>): Promise<number> {
  const documentId = parseQuery(documentIdParam, c.req.param('id'), 'id')
  await c.var.can.requireDocumentAccess(documentId)
  return documentId
}
