import { Hono } from 'hono'
import type { SessionStore } from '../auth/index.js'
import { readableDocumentId, requireUser, type SignedIn } from '../access/index.js'
import { annotatedPdf, type AnnotatedPdfDeps } from './annotatedPdf.js'

/** `GET /documents/:id/annotations/pdf`: the download of `annotationEmbed`, the PDF itself. */
export function annotatedPdfRoutes(deps: AnnotatedPdfDeps, sessions: SessionStore): Hono<SignedIn> {
  const app = new Hono<SignedIn>()
  app.get('/:id/annotations/pdf', requireUser(sessions, deps.db), async (c) => {
    const documentId = await readableDocumentId(c)
    const { file } = await annotatedPdf(deps, c.var.can, documentId)
    return c.body(Buffer.from(file), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="document-${documentId}-annotated.pdf"` })
  })
  return app
}
