import { Hono } from 'hono'
import { z } from 'zod'
import { type AnnotationsExportScope, annotationsExportFormats, annotationsExportScopes, exportAllUsersRight } from '../../schema/index.js'
import type { SyncEngine } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { type Permissions, readableDocumentId, requireUser, type SignedIn } from '../access/index.js'
import type { SessionStore } from '../auth/index.js'
import { ForbiddenError } from '../errors.js'
import { dataRoute } from '../http/dataRoute.js'
import { parseQuery } from '../http/parseQuery.js'
import { annotationsCsv, annotationsEntries, documentAnnotationsExport } from './export.js'

const exportQuery = z.object({
  format: z.enum(annotationsExportFormats).default('json'),
  scope: z.enum(annotationsExportScopes).optional(),
})

/**
 * `GET /documents/:id/annotations/export?format=json|csv[&scope=visible|all]`: the document's
 * annotations with comments, votes and tag names, for everyone who may read the document.
 * JSON answers `{success, data}`; CSV is the file itself.
 */
export function exportRoutes(engine: SyncEngine, sessions: SessionStore, db: FolioDatabase): Hono {
  const app = new Hono()
  app.get(
    '/:id/annotations/export',
    requireUser(sessions, db),
    dataRoute<SignedIn>(async (c) => {
      const documentId = await readableDocumentId(c)
      const can = c.var.can
      const query = parseQuery(exportQuery, c.req.query(), 'query')
      const viewer = { userId: can.user.id, isAdmin: can.isAdmin() }
      const read = (docName: string) => engine.read(docName, annotationsEntries)
      const data = await documentAnnotationsExport(db, documentId, read, viewer, exportScope(can, query.scope))
      if (query.format === 'json') return data
      return c.body(annotationsCsv(data), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="document-${documentId}-annotations.csv"`,
      })
    }),
  )
  return app
}

/**
 * Whose entries the caller exports: every user's (drafts included) needs the export right, and is
 * the default for its holders; everyone else gets what they see in the app.
 */
export function exportScope(can: Permissions, requested: AnnotationsExportScope | undefined): AnnotationsExportScope {
  const mayExportAll = can.hasRight(exportAllUsersRight)
  if (requested === 'all' && !mayExportAll) throw new ForbiddenError(`exporting every user's entries (scope=all) needs the right "${exportAllUsersRight}"`)
  return requested ?? (mayExportAll ? 'all' : 'visible')
}
