import { and, eq } from 'drizzle-orm'
import { type FolioDatabase, workflow, workflowStep } from '../../schema/db/index.js'
import { InvalidInputError } from '../errors.js'

export type WorkflowStepRow = typeof workflowStep.$inferSelect

/** The live steps of the live workflow `workflowId`, in the order of their `workflowStepPrevious` links. */
export async function sortedWorkflowSteps(db: FolioDatabase, workflowId: number): Promise<WorkflowStepRow[]> {
  const [live] = await db
    .select({ id: workflow.id })
    .from(workflow)
    .where(and(eq(workflow.id, workflowId), eq(workflow.deleted, false)))
    .limit(1)
  if (!live) throw new InvalidInputError(`invalid input: data.workflowId: workflow ${workflowId} does not exist`)
  const steps = await db
    .select()
    .from(workflowStep)
    .where(and(eq(workflowStep.workflowId, workflowId), eq(workflowStep.deleted, false)))
  return inLinkOrder(steps, (step) => step.workflowStepPrevious)
}

/** Steps in the order of their links to the step before (`previous`), from the one without; a step off the chain is left out. */
export function inLinkOrder<T extends { id: number }>(steps: readonly T[], previous: (step: T) => number | null): T[] {
  const next = new Map(steps.map((step) => [previous(step), step]))
  const sorted: T[] = []
  for (let step = next.get(null); step && sorted.length < steps.length; step = next.get(step.id)) sorted.push(step)
  return sorted
}
