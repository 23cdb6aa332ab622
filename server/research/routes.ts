import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { annotationsDocName, documentContentDoc, documentDocName, historyExportFormats, studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, project, study } from '../../schema/db/index.js'
import type { DocHistory, Logger } from '../../sync/index.js'
import { type Permissions, requireUser, type SignedIn } from '../access/index.js'
import type { SessionStore } from '../auth/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { documentTarget } from '../history/index.js'
import { dataRoute } from '../http/dataRoute.js'
import { parseQuery } from '../http/parseQuery.js'
import { docHistoryExport } from './historyFormats.js'
import { studyArchive } from './studyArchive.js'
import type { ExportTarget } from './studyRows.js'

const idParam = z.coerce.number().int().positive()
const historyExportQuery = z.object({
  format: z.enum(historyExportFormats).default('json'),
  groupMs: z.coerce.number().int().min(0).default(0),
})

/**
 * `GET /studies/:id/export` and `GET /projects/:id/export`: the research archive (zip) of a study
 * or of all studies of a project, for its owner and the studies full-access right (admins hold
 * every right). `GET /documents/:id/history/export?format=json|csv|events|idfx` and
 * `/documents/:id/annotations/history/export`: one doc's whole history in the same formats, for
 * those who may read its history (`?studySessionId=` for a session's copy).
 */
export function researchRoutes(db: FolioDatabase, history: DocHistory, sessions: SessionStore, log: Logger): Hono {
  const app = new Hono()
  const signedIn = requireUser(sessions, db)
  const archive = (kind: ExportTarget['kind']) =>
    dataRoute<SignedIn>(async (c) => {
      const target = { kind, id: parseQuery(idParam, c.req.param('id'), 'id') } as ExportTarget
      await requireExportRight(db, c.var.can, target)
      const started = performance.now()
      const zip = await studyArchive(db, history, target)
      log.info('research.exported', { kind, id: target.id, bytes: zip.byteLength, ms: Math.round(performance.now() - started) })
      return new Response(new Blob([zip as Uint8Array<ArrayBuffer>]), { headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${kind}-${target.id}.zip"` } })
    })
  app.get('/studies/:id/export', signedIn, archive('study'))
  app.get('/projects/:id/export', signedIn, archive('project'))
  const target = documentTarget(db)
  for (const [path, docName] of [
    ['/documents/:id/history/export', documentDocName],
    ['/documents/:id/annotations/history/export', annotationsDocName],
  ] as const) {
    app.get(
      path,
      signedIn,
      dataRoute<SignedIn>(async (c) => {
        const about = await target(c)
        const query = parseQuery(historyExportQuery, c.req.query(), 'query')
        const name = docName(about.documentId, about.studySessionId)
        const file = docHistoryExport(history, name, { ...query, mainText: documentContentDoc.text, label: (userId) => userId })
        return new Response(file.body, { headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${name.replace(/:/g, '-')}.${file.extension}"` } })
      }),
    )
  }
  return app
}

/** The owner of the study (or project) and the studies full-access right may export it; NotFound for a missing one. */
export async function requireExportRight(db: FolioDatabase, can: Permissions, target: ExportTarget): Promise<void> {
  const table = target.kind === 'study' ? study : project
  const [row] = await db.select({ userId: table.userId }).from(table).where(and(eq(table.id, target.id), eq(table.deleted, false)))
  if (!row) throw new NotFoundError(`${target.kind} ${target.id} does not exist`)
  if (row.userId !== can.user.id && !can.hasRight(studiesFullAccessRight)) throw new ForbiddenError(`only the ${target.kind}'s owner or the studies full-access right may export ${target.kind} ${target.id}`)
}
