import { z } from 'zod'
import { InvalidInputError } from '../errors.js'
import { describeIssues } from '../http/body.js'

/** An InvalidInputError naming each wrong field below `path` (`data.name: …`), worded like every other RPC input error. */
export function invalidInputAt(path: string, error: z.ZodError): InvalidInputError {
  return new InvalidInputError(describeIssues(new z.ZodError(error.issues.map((issue) => ({ ...issue, path: [path, ...issue.path] })))))
}
