import { eq, sql } from 'drizzle-orm'
import { parseDocName, type UpdateContext } from '../../schema/index.js'
import { type FolioDatabase, studySession } from '../../schema/db/index.js'
import type { DocHooksFactory } from '../../sync/index.js'

/**
 * Every stored update of a study session's doc (`document:<id>:session:<sid>`,
 * `annotations:<id>:session:<sid>`) records its session and the step the session was on, so a
 * history or a research export can tell which step each change was made in. The engine asks at
 * each commit, inside its write turn: no RPC transaction is open then, so the step read is the
 * committed one (a step change either landed before the update or after it). The read is
 * synchronous because the commit is; it is one prepared lookup by primary key per session doc
 * per commit.
 */
export function sessionContextHooks(db: FolioDatabase): DocHooksFactory {
  const currentStep = db
    .select({ studyStepId: studySession.studyStepId })
    .from(studySession)
    .where(eq(studySession.id, sql.placeholder('id')))
    .prepare()
  return (docName) => {
    const typed = parseDocName(docName)
    if ((typed.kind !== 'document' && typed.kind !== 'annotations') || typed.studySessionId === null) return []
    const studySessionId = typed.studySessionId
    return [{ recordContext: (): UpdateContext => ({ studySessionId, studyStepId: currentStep.get({ id: studySessionId })?.studyStepId ?? null }) }]
  }
}
