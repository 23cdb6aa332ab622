import { z } from 'zod'

const id = z.number().int().positive()

/** `configurationAdd`: a new configuration (admins), owned by `userId` or the caller. */
export const configurationAddInput = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).optional(),
  type: z.union([z.literal(0), z.literal(1)]),
  content: z.json(),
  userId: id.optional(),
  hideInFrontend: z.boolean().optional(),
})

/** `configurationUpdate`: new content for configuration `configurationId` (its owner or an admin). */
export const configurationUpdateInput = z.strictObject({
  configurationId: id,
  content: z.json(),
})

export const configurationEventInputs = {
  configurationAdd: configurationAddInput,
  configurationUpdate: configurationUpdateInput,
}
