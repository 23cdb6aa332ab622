import type { z } from 'zod'
import { InvalidInputError } from '../errors.js'
import { describeIssues } from './body.js'

/** `value` (a query or a route parameter) validated by `schema`, or InvalidInputError naming the wrong fields as `invalid <what>: ...`. */
export function parseQuery<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new InvalidInputError(describeIssues(result.error).replace('invalid input:', `invalid ${what}:`))
  return result.data
}
