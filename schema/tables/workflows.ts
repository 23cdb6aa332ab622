import { sql } from 'drizzle-orm'
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { auditColumns } from './columns.js'

/** A study's blueprint: its steps, in the order of their `workflowStepPrevious` links. */
export const workflow = sqliteTable('workflow', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  description: text('description'),
  ...auditColumns(),
})

export const workflowStep = sqliteTable(
  'workflow_step',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workflowId: integer('workflow_id')
      .notNull()
      .references(() => workflow.id),
    stepType: integer('step_type').notNull(),
    /** The step before this one; null for the first step. */
    workflowStepPrevious: integer('workflow_step_previous').references((): AnySQLiteColumn => workflowStep.id),
    allowBackward: integer('allow_backward', { mode: 'boolean' }).notNull().default(false),
    /** An earlier step whose document this step continues. */
    workflowStepDocument: integer('workflow_step_document').references((): AnySQLiteColumn => workflowStep.id),
    /** The step's settings form and services, any JSON. */
    configuration: text('configuration', { mode: 'json' }).$type<unknown>(),
    ...auditColumns(),
  },
  (table) => [index('workflow_step_workflow').on(table.workflowId), check('workflow_step_type', sql`${table.stepType} in (1, 2, 3)`)],
)
