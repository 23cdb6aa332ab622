import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns } from './columns.js'
import { document } from './documents.js'
import { studySession, studyStep } from './studies.js'
import { commentStateValues } from '../wire/columnValues.js'

/** The owner of a per-user state row and the document, session and step it is about (all optional but the owner). */
const stateScope = () => ({
  userId: integer('user_id')
    .notNull()
    .references(() => user.id),
  documentId: integer('document_id').references(() => document.id),
  studySessionId: integer('study_session_id').references(() => studySession.id),
  studyStepId: integer('study_step_id').references(() => studyStep.id),
})

/** Per-user UI state of a document, optionally within a study session and step (key `scroll`: the last scroll position). */
export const userEnvironment = sqliteTable(
  'user_environment',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...stateScope(),
    key: text('key').notNull(),
    value: text('value'),
    ...auditColumns(),
  },
  (table) => [index('user_environment_user').on(table.userId)],
)

/** Per-user display state of a comment; `commentId` is the comment's id in its annotations doc. */
export const commentState = sqliteTable(
  'comment_state',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...stateScope(),
    commentId: text('comment_id').notNull(),
    state: integer('state').notNull().default(commentStateValues.expanded),
    ...auditColumns(),
  },
  (table) => [index('comment_state_user').on(table.userId)],
)
