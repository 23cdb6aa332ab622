import { z } from 'zod'
import { configurationRow, documentRow, studyRow, submissionRow } from './rows.js'

const id = z.number().int()
/** An id as a JSON object's key: a string of digits. */
const idKey = z.string().regex(/^\d+$/)

/** The answers of the peer-review events: assignments, submissions and configurations (`rpcOutputs` takes them in). */
export const reviewEventOutputs = {
  /** The assignment study, owned by the author of what is reviewed. */
  assignmentCreate: studyRow,
  assignmentAdd: z.null(),
  /** The seed the distribution came from (to make it again), the reviewers of each assignment, and the study made for each one that has any. */
  assignmentCreateBulk: z.strictObject({
    seed: z.number().int(),
    assignments: z.record(idKey, z.array(id)),
    studies: z.record(idKey, id),
  }),
  /** How many were grouped, or with `isCopied` the copies with their documents. */
  submissionAssignGroup: z.union([
    z.strictObject({ submissionsUpdated: z.number().int() }),
    z.strictObject({
      copiedSubmissions: z.array(z.strictObject({ copiedSubmission: submissionRow, copiedDocuments: z.array(documentRow), originalSubmissionId: id })),
    }),
  ]),
  configurationAdd: configurationRow,
  configurationUpdate: configurationRow,
}
