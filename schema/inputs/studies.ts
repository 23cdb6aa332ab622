import { z } from 'zod'

const id = z.number().int().positive()

/**
 * A study's steps as `appDataUpdate` on `study` takes them (`data.stepDocuments`): per workflow
 * step (`id`), the document it starts from and its configuration; steps left out take none and
 * the workflow step's configuration.
 */
export const stepDocumentsInput = z
  .array(
    z.strictObject({
      id,
      documentId: id.nullable().optional(),
      configuration: z.json().optional(),
    }),
  )
  .max(100)
export type StepDocuments = z.infer<typeof stepDocumentsInput>

/** `studySessionStart`: restart your session `studySessionId`, or start a new one in `studyId`. */
export const studySessionStartInput = z
  .strictObject({ studyId: id.optional(), studySessionId: id.optional() })
  .refine((input) => (input.studyId === undefined) !== (input.studySessionId === undefined), { message: 'send either studyId (a new session) or studySessionId (restart yours)' })

/** `studySessionSubscribe` / `studySessionUnsubscribe`: follow a study's sessions, or stop. */
export const studyRefInput = z.strictObject({ studyId: id })

/** `studySaveAsTemplate`: a template copy of study `id`, or with `onlyTemplate` a template from `templateData` (a study's columns and `stepDocuments`). */
export const studySaveAsTemplateInput = z
  .strictObject({ id: id.optional(), onlyTemplate: z.boolean().optional(), templateData: z.record(z.string(), z.unknown()).optional() })
  .refine((input) => (input.onlyTemplate ? input.templateData !== undefined : input.id !== undefined), {
    message: 'send id (the study to copy), or onlyTemplate: true with templateData',
  })

/** `studyCloseBulk`: close the studies of a project (those already closed too with `ignoreClosedState`), reporting progress under `progressId`. */
export const studyCloseBulkInput = z.strictObject({
  projectId: id,
  ignoreClosedState: z.boolean().optional(),
  progressId: z.string().max(200).optional(),
})
