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
