import { z } from 'zod'

const settingKey = z.string().min(1).max(200)
/** Settings are stored as text; numbers and booleans are accepted and stored as their text. */
const settingValue = z.union([z.string().max(100_000), z.number(), z.boolean()]).transform(String)

/** `appSettingSet`: the caller's own override of a setting; admins may set it for `userId`. */
export const appSettingSetInput = z.strictObject({
  key: settingKey,
  value: settingValue,
  userId: z.number().int().positive().optional(),
})

/** `settingSave` (admin): global settings to create or change. */
export const settingSaveInput = z.array(z.strictObject({ key: settingKey, value: settingValue })).min(1).max(1000)
