import { and, asc, eq, min } from 'drizzle-orm'
import { type FolioDatabase, project, study, studySession, studyStep } from '../../schema/db/index.js'
import { NotFoundError } from '../errors.js'

export type StudyRow = typeof study.$inferSelect
export type StepRow = typeof studyStep.$inferSelect
export type SessionRow = typeof studySession.$inferSelect

/** A study with its live steps and sessions, as a research export reads them. */
export interface StudyRows {
  study: StudyRow
  steps: StepRow[]
  sessions: SessionRow[]
  /** A collaborative study's shared session, whose docs everyone writes in: its first (deleted or not); null before any. */
  sharedSessionId: number | null
}

/** What is exported: one study, or every study of a project. */
export type ExportTarget = { kind: 'study'; id: number } | { kind: 'project'; id: number }

/** The studies of `target` with their steps and sessions; NotFound for a missing or deleted one. */
export async function loadStudies(db: FolioDatabase, target: ExportTarget): Promise<{ project: typeof project.$inferSelect | null; studies: StudyRows[] }> {
  let projectRow: typeof project.$inferSelect | null = null
  let studies: StudyRow[]
  if (target.kind === 'study') {
    studies = await db.select().from(study).where(and(eq(study.id, target.id), eq(study.deleted, false)))
    if (studies.length === 0) throw new NotFoundError(`study ${target.id} does not exist`)
  } else {
    ;[projectRow = null] = await db.select().from(project).where(and(eq(project.id, target.id), eq(project.deleted, false)))
    if (!projectRow) throw new NotFoundError(`project ${target.id} does not exist`)
    studies = await db.select().from(study).where(and(eq(study.projectId, target.id), eq(study.deleted, false))).orderBy(asc(study.id))
  }
  const rows: StudyRows[] = []
  for (const row of studies) {
    const steps = await db.select().from(studyStep).where(and(eq(studyStep.studyId, row.id), eq(studyStep.deleted, false))).orderBy(asc(studyStep.id))
    const sessions = await db.select().from(studySession).where(and(eq(studySession.studyId, row.id), eq(studySession.deleted, false))).orderBy(asc(studySession.id))
    const [first] = await db.select({ id: min(studySession.id) }).from(studySession).where(eq(studySession.studyId, row.id))
    rows.push({ study: row, steps, sessions, sharedSessionId: first?.id ?? null })
  }
  return { project: projectRow, studies: rows }
}
