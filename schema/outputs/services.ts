import { z } from 'zod'
import { serviceNames } from '../inputs/services.js'

/**
 * A skill the NLP service offers: the broker's entry (`nodes`: how many of its workers run it),
 * or a fallback definition's while the broker is unreachable (`fallback: true`, `nodes: 0`).
 */
export const skillEntry = z.looseObject({ name: z.string(), nodes: z.number().int(), fallback: z.boolean().optional() })

/** Where a background task stands: the items left, done and failed, whether it was cancelled. */
export const backgroundTaskState = z.strictObject({
  taskId: z.string(),
  skill: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  cancelled: z.boolean(),
  finished: z.boolean(),
  startedAt: z.iso.datetime(),
})
export type BackgroundTaskState = z.infer<typeof backgroundTaskState>

/** What `serviceRefresh` pushes carry: `{service, type, data}`. */
export const serviceRefresh = z.strictObject({
  service: z.enum(serviceNames),
  type: z.enum(['isAlive', 'skillUpdate', 'skillConfig', 'skillResults', 'backgroundTaskUpdate']),
  data: z.unknown(),
})
export type ServiceRefresh = z.infer<typeof serviceRefresh>

export const serviceEventOutputs = {
  serviceConnect: z.null(),
  serviceDisconnect: z.null(),
  /** The request's id, which its `skillResults` push carries. */
  serviceRequest: z.strictObject({ id: z.string() }),
  /**
   * By command: `skillGetAll` the skills, `skillGetConfig` one skill's configuration (null when
   * unknown), `getBackgroundTask` / `startPreprocessing` / `cancelPreprocessing` the task's state
   * (null without one).
   */
  serviceCommand: z.union([
    z.strictObject({ skills: z.array(skillEntry), connected: z.boolean() }),
    z.strictObject({ config: z.record(z.string(), z.unknown()).nullable() }),
    backgroundTaskState.nullable(),
  ]),
}
