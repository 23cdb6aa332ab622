import { documentType, type StepDocuments, stepType } from '../../schema/index.js'
import { document, study, studyStep } from '../../schema/db/index.js'
import { type DocumentRow, findLiveDocument } from '../access/index.js'
import { InvalidInputError, NotFoundError } from '../errors.js'
import type { RelatedWrite } from '../realtime/index.js'
import type { RpcContext } from '../rpc/index.js'
import { sortedWorkflowSteps, type WorkflowStepRow } from './workflowSteps.js'

export type StudyRow = typeof study.$inferSelect

/** A study document whose Yjs content is to start as a copy of another document's, once the rows are committed. */
export interface ContentFork {
  from: number
  to: number
}

/** What creating a study's steps wrote: the rows to publish, and the content forks to run after the commit. */
export interface CreatedSteps {
  writes: RelatedWrite[]
  forks: ContentFork[]
}

const hasContent = (row: DocumentRow) => row.type === documentType.html || row.type === documentType.modal

/** The document a step is given, which the caller may read and whose type fits the step (a PDF to annotate, a text to edit). */
async function givenDocument(ctx: RpcContext, workflowStep: WorkflowStepRow, documentId: number, path: string): Promise<DocumentRow> {
  const row = await findLiveDocument(ctx.db, documentId)
  if (!row) throw new NotFoundError(`document ${documentId} does not exist`)
  await ctx.can.requireDocumentAccess(documentId)
  const fits = workflowStep.stepType === stepType.annotator ? row.type === documentType.pdf : hasContent(row)
  if (!fits) throw new InvalidInputError(`invalid input: ${path}.documentId: document ${documentId} cannot be used in a step of type ${workflowStep.stepType}`)
  return row
}

/**
 * Creates the steps of `study` from its workflow, in order, in the call's transaction. Annotator
 * steps use the PDF they are given. Editor and modal steps get a hidden document of the study:
 * a copy of the document they are given, or else a new one that continues the document of the
 * earlier step it names (`workflowStepDocument`) when that step has text, or starts empty. The
 * copies' content is forked after the commit (`forks`).
 */
export async function createStudySteps(ctx: RpcContext, study: StudyRow, stepDocuments: StepDocuments): Promise<CreatedSteps> {
  const workflowSteps = await sortedWorkflowSteps(ctx.db, study.workflowId)
  const known = new Set(workflowSteps.map((step) => step.id))
  for (const [index, entry] of stepDocuments.entries()) {
    const path = `invalid input: data.stepDocuments.${index}.id`
    if (!known.has(entry.id)) throw new InvalidInputError(`${path}: workflow ${study.workflowId} has no step ${entry.id}`)
    if (stepDocuments.findIndex((other) => other.id === entry.id) !== index) throw new InvalidInputError(`${path}: the list names step ${entry.id} twice`)
  }
  const created: CreatedSteps = { writes: [], forks: [] }
  /** By workflow step: the study step made from it, and its hidden document if it has one. */
  const made = new Map<number, { id: number; documentId: number | null; hasContent: boolean }>()
  let previous: number | null = null
  for (const workflowStep of workflowSteps) {
    const index = stepDocuments.findIndex((entry) => entry.id === workflowStep.id)
    const entry = stepDocuments[index]
    const path = `data.stepDocuments.${index}`
    const given = entry?.documentId ? await givenDocument(ctx, workflowStep, entry.documentId, path) : null
    const continued = workflowStep.workflowStepDocument === null ? undefined : made.get(workflowStep.workflowStepDocument)
    let documentId = given?.id ?? null
    if (workflowStep.stepType !== stepType.annotator) {
      const [hidden] = await ctx.db
        .insert(document)
        .values({
          name: given ? `${given.name}_study` : `Document Study ${study.id}`,
          type: given?.type ?? (workflowStep.stepType === stepType.modal ? documentType.modal : documentType.html),
          userId: study.userId,
          projectId: study.projectId,
          parentDocumentId: given?.id ?? null,
          hideInFrontend: true,
        })
        .returning()
      created.writes.push({ table: 'document', row: hidden!, previous: null })
      const source = given?.id ?? (continued?.hasContent ? continued.documentId : null)
      if (source !== null) created.forks.push({ from: source, to: hidden!.id })
      documentId = hidden!.id
    }
    const [step]: (typeof studyStep.$inferSelect)[] = await ctx.db
      .insert(studyStep)
      .values({
        studyId: study.id,
        workflowStepId: workflowStep.id,
        stepType: workflowStep.stepType,
        documentId,
        studyStepPrevious: previous,
        studyStepDocument: continued?.id ?? null,
        allowBackward: workflowStep.allowBackward,
        configuration: entry?.configuration ?? workflowStep.configuration,
      })
      .returning()
    created.writes.push({ table: 'study_step', row: step!, previous: null })
    made.set(workflowStep.id, { id: step!.id, documentId, hasContent: workflowStep.stepType !== stepType.annotator })
    previous = step!.id
  }
  return created
}
