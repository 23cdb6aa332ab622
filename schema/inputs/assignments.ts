import { z } from 'zod'

const id = z.number().int().positive()
/** Most reviewers or documents one call distributes: a large lecture. */
export const maxAssignmentParticipants = 1000

/** A row reference as the original's clients send it (`{id, …}`), or the id alone; other fields are ignored, the server reads the row. */
const rowRef = z.union([id, z.looseObject({ id })]).transform((ref) => (typeof ref === 'number' ? ref : ref.id))

/** Per workflow step (`id`), the document the step starts from instead of the template's. */
const stepDocumentOverrides = z.array(z.looseObject({ id, documentId: id.nullable().optional() })).max(100)

/** Whether the reviewed thing is a document or a submission; template markers in step configurations get its id under `documentId` or `submissionId`. */
const assignmentType = z.enum(['document', 'submission'])

/** `assignmentCreate`: a study from the `template` study in which each of `reviewer` reviews `assignment` (a document or submission). */
export const assignmentCreateInput = z.looseObject({
  template: rowRef,
  assignment: rowRef,
  reviewer: z.array(rowRef).min(1).max(maxAssignmentParticipants),
  documents: stepDocumentOverrides.optional(),
  assignmentType: assignmentType.optional(),
})

/** `assignmentAdd`: more reviewers for the assignment study `studyId`, one session each. */
export const assignmentAddInput = z.looseObject({
  studyId: id,
  reviewer: z.array(rowRef).min(1).max(maxAssignmentParticipants),
})

/** How many reviews each selected role (by role id) or reviewer (by user id) gets; the original's clients send the counts as strings. */
const quotas = z.record(z.string().regex(/^\d+$/), z.coerce.number().int().min(0).max(maxAssignmentParticipants))

/**
 * `assignmentCreateBulk`: distributes the `selectedAssignments` over the `selectedReviewer`s,
 * each getting the quota of their roles (`mode: "role"`, `roleSelection`) or their own
 * (`mode: "reviewer"`, `reviewerSelection`); `documents[i]` overrides the step documents of the
 * i-th assignment. The same `seed` gives the same distribution. Progress is reported under `progressId`.
 */
export const assignmentCreateBulkInput = z
  .looseObject({
    template: rowRef,
    mode: z.enum(['role', 'reviewer']),
    selectedReviewer: z.array(rowRef).min(1).max(maxAssignmentParticipants),
    selectedAssignments: z.array(rowRef).min(1).max(maxAssignmentParticipants),
    documents: z.array(stepDocumentOverrides.nullable()).max(maxAssignmentParticipants).optional(),
    roleSelection: quotas.optional(),
    reviewerSelection: quotas.optional(),
    assignmentType: assignmentType.optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    progressId: z.string().max(200).optional(),
  })
  .refine((input) => (input.mode === 'role' ? input.roleSelection !== undefined : input.reviewerSelection !== undefined), {
    message: 'mode "role" needs roleSelection ({roleId: reviews per reviewer}), mode "reviewer" needs reviewerSelection ({userId: reviews})',
  })

export const assignmentEventInputs = {
  assignmentCreate: assignmentCreateInput,
  assignmentAdd: assignmentAddInput,
  assignmentCreateBulk: assignmentCreateBulkInput,
}
