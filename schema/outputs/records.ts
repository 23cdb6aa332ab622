import { z } from 'zod'
import { logRow, statisticRow } from './rows.js'

/** The answers of the log and statistics events (`rpcOutputs` takes them in). */
export const recordEventOutputs = {
  log: z.null(),
  /** A page of entries and how many match in all. */
  logGetAll: z.strictObject({ rows: z.array(logRow), count: z.number().int() }),
  /** Whether the action was kept: only while the caller accepts statistics. */
  stats: z.strictObject({ recorded: z.boolean() }),
  statsGet: z.array(statisticRow),
  statsGetByUser: z.strictObject({ success: z.literal(true), userId: z.number().int(), statistics: z.array(statisticRow) }),
}
