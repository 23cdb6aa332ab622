import { z } from 'zod'

/** Inputs of events that take no data (`appInit`, `settingGetData`): nothing, or `{}`. */
export const noInput = z.strictObject({}).optional()

/** The auto-synced tables: subscribable, pushed as `<table>Refresh`, written by `appDataUpdate`. */
export const syncedTableNames = [
  'document',
  'document_data',
  'tag_set',
  'tag',
  'user',
  'user_role',
  'user_right',
  'user_role_matching',
  'role_right_matching',
  'project',
  'workflow',
  'workflow_step',
  'study',
  'study_step',
  'study_session',
  'user_environment',
  'comment_state',
  'configuration',
  'submission',
  'nav_group',
  'nav_element',
  'share',
] as const
export type SyncedTableName = (typeof syncedTableNames)[number]
export const syncedTableName = z.enum(syncedTableNames)

/** A value a filter compares a column with; timestamps are milliseconds or ISO strings. */
const filterValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])
const filterKey = z.string().min(1).max(64)

/**
 * One condition of a subscription filter: `{key, value}` equality, `{key, values}` any of,
 * `{type: "not", key, value}` inequality.
 */
export const filterCondition = z.union([
  z.strictObject({ type: z.literal('not'), key: filterKey, value: filterValue }),
  z.strictObject({ key: filterKey, values: z.array(filterValue).min(1).max(1000) }),
  z.strictObject({ key: filterKey, value: filterValue }),
])
export type FilterCondition = z.infer<typeof filterCondition>

/** `subscribeAppData`: a row matches when it meets every condition of `filter`; no filter means every row. */
export const subscribeAppDataInput = z.strictObject({
  table: syncedTableName,
  filter: z.array(filterCondition).max(50).optional(),
})

/** `unsubscribeAppData`: the subscription id `subscribeAppData` answered. */
export const unsubscribeAppDataInput = z.uuid()

/** `appDataUpdate`: create (no id, or id 0) or update one row; columns are checked against the table. */
export const appDataUpdateInput = z.strictObject({
  table: syncedTableName,
  data: z.record(z.string(), z.unknown()),
})

/** `appData`: the rows of `table` the caller may see that match `filter`, once (pushed as `<table>Refresh`), without a subscription. */
export const appDataInput = z.strictObject({
  table: syncedTableName,
  filter: z.array(filterCondition).max(50).optional(),
})

/** `appDataByHash`: the row of `table` whose public `hash` (the id in `/document/<hash>` links) this is. */
export const appDataByHashInput = z.strictObject({ table: syncedTableName, hash: z.string().min(1).max(100) })
