import { z } from 'zod'

const id = z.number().int().positive()

/** Longest message a log entry keeps. */
export const maxLogMessageLength = 1024
export const logLevels = ['debug', 'info', 'warn', 'error'] as const
/** Columns `logGetAll` may order by. */
export const logOrderColumns = ['timestamp', 'level', 'service', 'userId', 'message'] as const

/** `log`: a client's log entry, stored when the setting allows it. */
export const logInput = z.strictObject({
  level: z.enum(logLevels),
  message: z.string().max(maxLogMessageLength),
  meta: z.json().optional(),
})

/** `logGetAll`: a page of log entries, filtered by equal columns and ordered by `[column, direction]` pairs (newest first without). */
export const logGetAllInput = z
  .strictObject({
    filter: z
      .strictObject({
        level: z.enum(logLevels).optional(),
        service: z.string().max(100).optional(),
        userId: id.nullable().optional(),
        message: z.string().max(maxLogMessageLength).optional(),
      })
      .nullable()
      .optional(),
    order: z
      .array(z.tuple([z.enum(logOrderColumns), z.enum(['ASC', 'DESC', 'asc', 'desc'])]))
      .max(logOrderColumns.length)
      .optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    page: z.number().int().min(0).optional(),
  })
  .optional()

/** `stats`: one action of the caller (`mouseMove`, `documentOpen`, …) with its data. */
export const statsInput = z.strictObject({
  action: z.string().min(1).max(200),
  data: z.json().optional(),
})

/** `statsGet`: recorded statistics of every consenting user, or of `userId`, a page at a time. */
export const statsGetInput = z
  .strictObject({
    userId: id.optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    page: z.number().int().min(0).optional(),
  })
  .optional()

/** `statsGetByUser`: the statistics of `userId`, who must have accepted statistics. */
export const statsGetByUserInput = z.strictObject({ userId: id })

export const recordEventInputs = {
  log: logInput,
  logGetAll: logGetAllInput,
  stats: statsInput,
  statsGet: statsGetInput,
  statsGetByUser: statsGetByUserInput,
}
