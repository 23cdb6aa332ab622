import type { Context } from 'hono'
import type { z } from 'zod'
import { InvalidInputError } from '../errors.js'

/** The request's JSON body (undefined when empty, as for an event without input), or InvalidInputError when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new InvalidInputError('invalid input: the body must be JSON')
  }
}

/** The JSON body validated by `schema`, or InvalidInputError naming every wrong field. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const result = schema.safeParse(await jsonBody(c))
  if (!result.success) throw new InvalidInputError(describeIssues(result.error))
  return result.data
}

/** `invalid input: name: expected string; tags.0: too long`, naming every wrong field. */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
  return `invalid input: ${issues.join('; ')}`
}
