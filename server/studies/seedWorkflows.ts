import { eq } from 'drizzle-orm'
import { workflowSeeds } from '../../schema/index.js'
import { type FolioDatabase, workflow, workflowStep } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'

/**
 * Adds each seeded workflow that no workflow carries the name of (one an admin deleted stays deleted), with its steps linked in
 * order (`workflowStepPrevious`) and their document references (`workflowStepDocument`) resolved
 * to the new steps' ids; one transaction, so a workflow is never seeded half.
 */
export function seedWorkflows(db: FolioDatabase): Promise<void> {
  return SerialTransactions.of(db).transaction(async () => {
    for (const seed of workflowSeeds) {
      const [existing] = await db
        .select({ id: workflow.id })
        .from(workflow)
        .where(eq(workflow.name, seed.name))
        .limit(1)
      if (existing) continue
      const [created] = await db.insert(workflow).values({ name: seed.name, description: seed.description }).returning({ id: workflow.id })
      const stepIds: number[] = []
      for (const step of seed.steps) {
        const [row] = await db
          .insert(workflowStep)
          .values({
            workflowId: created!.id,
            stepType: step.stepType,
            workflowStepPrevious: stepIds.at(-1) ?? null,
            allowBackward: step.allowBackward,
            workflowStepDocument: step.documentStep === null ? null : stepIds[step.documentStep - 1]!,
            configuration: step.configuration,
          })
          .returning({ id: workflowStep.id })
        stepIds.push(row!.id)
      }
    }
  })
}
