import { z } from 'zod'

const id = z.number().int().positive()

/** `submissionAssignGroup`: puts the submissions (or, with `isCopied`, copies of them with their documents) in `group`, with `additionalSettings`. */
export const submissionAssignGroupInput = z.strictObject({
  group: z.number().int().min(0).nullable().optional(),
  isCopied: z.boolean().optional(),
  submissionIds: z.array(id).min(1).max(1000),
  additionalSettings: z.json().optional(),
})

export const submissionEventInputs = {
  submissionAssignGroup: submissionAssignGroupInput,
}
