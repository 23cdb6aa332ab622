import type { z } from 'zod'
import type { backgroundTaskStartInput, ServiceReplacement } from '../../schema/index.js'
import { findLiveDocument } from '../access/index.js'
import { NotFoundError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'
import { type SkillInputs, submissionDocuments } from './skillInputs.js'

/** One request of a background task: the skill's inputs, and the document its results are stored on. */
export interface TaskItem {
  documentId: number
  data: Record<string, unknown>
}

const replacement = (input: ServiceReplacement['input']): ServiceReplacement => ({ type: 'serviceReplacement', input })

/**
 * The requests of a background task, one per selected document or submission, each with the
 * task's other inputs (configurations read once here, values as given). Every id is checked
 * before any request is made: a missing document or submission, one without a document of
 * `baseFileType`, or a configuration that is gone, starts nothing.
 */
export async function taskItems(ctx: RpcContext, inputs: SkillInputs, task: z.infer<typeof backgroundTaskStartInput>): Promise<TaskItem[]> {
  const fixed: Record<string, unknown> = {}
  let selection: { name: string; table: 'document' | 'submission'; ids: number[] } | null = null
  for (const [name, input] of Object.entries(task.inputs)) {
    if ('ids' in input) selection = { name, table: input.table, ids: [...new Set(input.ids)] }
    else if ('table' in input) fixed[name] = replacement({ type: 'configuration', configurationId: input.id })
    else fixed[name] = input.value
  }
  // The schema lets exactly one input select the items.
  const { name, table, ids } = selection!
  const shared = await inputs.resolve(ctx, fixed)
  const items: TaskItem[] = []
  for (const id of ids) {
    if (table === 'document') {
      await ctx.can.requireDocumentAccess(id)
      if (!(await findLiveDocument(ctx.db, id))) throw new NotFoundError(`document ${id} does not exist`)
      items.push({ documentId: id, data: { ...shared, [name]: replacement({ type: 'document', documentId: id }) } })
    } else {
      const documents = await submissionDocuments(ctx, id)
      const base = task.baseFileType === undefined ? documents[0] : documents.find((row) => row.type === task.baseFileType)
      if (!base) throw new NotFoundError(`submission ${id} has no document${task.baseFileType === undefined ? '' : ` of type ${task.baseFileType}`} to store the results on`)
      items.push({ documentId: base.id, data: { ...shared, [name]: replacement({ type: 'submission', submissionId: id }) } })
    }
  }
  return items
}
