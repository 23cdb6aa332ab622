import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import { type FolioDatabase, study, studySession, studyStep } from '../../schema/db/index.js'

/** The studies a user takes part in, by role: what the study tables' visibility rules are built from. */
export interface StudyScope {
  /** Live studies the user owns. */
  owned: number[]
  /** Live studies the user has a live session in. */
  participating: number[]
  /** The collaborative ones among `participating`: their participants see each other's sessions. */
  collaborating: number[]
  /** The documents the live steps of `owned` and `participating` use: what their owner and participants open as documents. */
  stepDocuments: number[]
}

/** The study scope of `userId`, in three queries. */
export async function loadStudyScope(db: FolioDatabase, userId: number): Promise<StudyScope> {
  const owned = await db
    .select({ id: study.id })
    .from(study)
    .where(and(eq(study.userId, userId), eq(study.deleted, false)))
  const sessions = await db
    .selectDistinct({ id: study.id, collab: study.collab })
    .from(studySession)
    .innerJoin(study, eq(study.id, studySession.studyId))
    .where(and(eq(studySession.userId, userId), eq(studySession.deleted, false), eq(study.deleted, false)))
  const studies = [...owned, ...sessions].map((row) => row.id)
  const steps =
    studies.length === 0
      ? []
      : await db
          .selectDistinct({ documentId: studyStep.documentId })
          .from(studyStep)
          .where(and(inArray(studyStep.studyId, studies), eq(studyStep.deleted, false), isNotNull(studyStep.documentId)))
  return {
    owned: owned.map((row) => row.id),
    participating: sessions.map((row) => row.id),
    collaborating: sessions.filter((row) => row.collab).map((row) => row.id),
    stepDocuments: steps.map((row) => row.documentId!),
  }
}
