import { and, desc, eq, sql } from 'drizzle-orm'
import { parseDocName, type UpdateContext } from '../../schema/index.js'
import { type FolioDatabase, studySession } from '../../schema/db/index.js'
import type { DocHooksFactory } from '../../sync/index.js'

/**
 * Every stored update of a study session's doc (`document:<id>:session:<sid>`,
 * `annotations:<id>:session:<sid>`) records the session it was written in and the step that
 * session was on, so a history or a research export can tell which step each change was made in.
 * That is the writer's own session of the study (in a collaborative study everyone writes into the
 * first session's docs), else (the owner, an admin) the doc's session. The engine asks at each
 * commit, inside its write turn: no RPC transaction is open then, so the step read is the committed
 * one (a step change either landed before the update or after it). The reads are synchronous
 * because the commit is; they are prepared lookups by index, once per writer and commit.
 */
export function sessionContextHooks(db: FolioDatabase): DocHooksFactory {
  const docSession = db
    .select({ studyId: studySession.studyId, studyStepId: studySession.studyStepId })
    .from(studySession)
    .where(eq(studySession.id, sql.placeholder('id')))
    .prepare()
  const writerSession = db
    .select({ id: studySession.id, studyStepId: studySession.studyStepId })
    .from(studySession)
    .where(and(eq(studySession.studyId, sql.placeholder('studyId')), eq(studySession.userId, sql.placeholder('userId')), eq(studySession.deleted, false)))
    .orderBy(desc(studySession.id))
    .limit(1)
    .prepare()
  return (docName) => {
    const typed = parseDocName(docName)
    if ((typed.kind !== 'document' && typed.kind !== 'annotations') || typed.studySessionId === null) return []
    const studySessionId = typed.studySessionId
    const recordContext = (userId: string | null): UpdateContext => {
      const session = docSession.get({ id: studySessionId })
      const own = session && userId !== null && /^\d+$/.test(userId) ? writerSession.get({ studyId: session.studyId, userId: Number(userId) }) : undefined
      return own ? { studySessionId: own.id, studyStepId: own.studyStepId } : { studySessionId, studyStepId: session?.studyStepId ?? null }
    }
    return [{ recordContext }]
  }
}
