import { sql } from 'drizzle-orm'
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { user } from './accounts.js'
import { auditColumns, publicHash } from './columns.js'
import { document } from './documents.js'
import { project } from './projects.js'
import { tagSet } from './tags.js'
import { workflow, workflowStep } from './workflows.js'

/**
 * A study: a workflow run with participants. Editing a study that is not closed makes a new
 * version (`parentStudyId` names the one it replaces, which is closed); `closed` is when it was
 * closed. `start`/`end` bound when sessions may start; 0 in a limit means no limit.
 */
export const study = sqliteTable(
  'study',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    hash: publicHash(),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    createdByUserId: integer('created_by_user_id').references(() => user.id),
    workflowId: integer('workflow_id')
      .notNull()
      .references(() => workflow.id),
    /** Participants share one session document and see each other's sessions. */
    collab: integer('collab', { mode: 'boolean' }).notNull().default(false),
    tagSetId: integer('tag_set_id').references(() => tagSet.id),
    resumable: integer('resumable', { mode: 'boolean' }).notNull().default(false),
    /** HTML shown before the study begins. */
    description: text('description'),
    /** Minutes a participant has; 0 for no limit. */
    timeLimit: integer('time_limit').notNull().default(0),
    multipleSubmit: integer('multiple_submit', { mode: 'boolean' }).notNull().default(false),
    limitSessions: integer('limit_sessions').notNull().default(0),
    limitSessionsPerUser: integer('limit_sessions_per_user').notNull().default(0),
    closed: integer('closed', { mode: 'timestamp_ms' }),
    userIdClosed: integer('user_id_closed').references(() => user.id),
    template: integer('template', { mode: 'boolean' }).notNull().default(false),
    start: integer('start', { mode: 'timestamp_ms' }),
    end: integer('end', { mode: 'timestamp_ms' }),
    projectId: integer('project_id').references(() => project.id),
    /** Exports replace participants' ids by pseudonyms. */
    anonymize: integer('anonymize', { mode: 'boolean' }).notNull().default(false),
    parentStudyId: integer('parent_study_id').references((): AnySQLiteColumn => study.id),
    ...auditColumns(),
  },
  (table) => [index('study_user_template').on(table.userId, table.template), index('study_project').on(table.projectId)],
)

/** One step of a study, made from a workflow step; editor and modal steps own a hidden document of the study. */
export const studyStep = sqliteTable(
  'study_step',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studyId: integer('study_id')
      .notNull()
      .references(() => study.id),
    workflowStepId: integer('workflow_step_id').references(() => workflowStep.id),
    stepType: integer('step_type').notNull(),
    documentId: integer('document_id').references(() => document.id, { onDelete: 'set null' }),
    studyStepPrevious: integer('study_step_previous').references((): AnySQLiteColumn => studyStep.id),
    /** The earlier step whose document this step continues. */
    studyStepDocument: integer('study_step_document').references((): AnySQLiteColumn => studyStep.id),
    allowBackward: integer('allow_backward', { mode: 'boolean' }).notNull().default(false),
    configuration: text('configuration', { mode: 'json' }).$type<unknown>(),
    ...auditColumns(),
  },
  (table) => [index('study_step_study').on(table.studyId), check('study_step_type', sql`${table.stepType} in (1, 2, 3)`)],
)

/** One participant's run through a study: the current step, the furthest step reached, and when it started and ended. */
export const studySession = sqliteTable(
  'study_session',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hash: publicHash(),
    studyId: integer('study_id')
      .notNull()
      .references(() => study.id),
    userId: integer('user_id')
      .notNull()
      .references(() => user.id),
    studyStepId: integer('study_step_id').references(() => studyStep.id),
    numberSteps: integer('number_steps').notNull().default(0),
    studyStepIdMax: integer('study_step_id_max').references(() => studyStep.id),
    start: integer('start', { mode: 'timestamp_ms' }),
    end: integer('end', { mode: 'timestamp_ms' }),
    ...auditColumns(),
  },
  (table) => [index('study_session_study').on(table.studyId), index('study_session_user').on(table.userId)],
)
