import type { FilterCondition } from '../schema/inputs/app.js'

/** A row of an auto-synced table as it travels: column values, timestamps as ISO strings. */
export type Row = Record<string, unknown>

export type RowFilter = readonly FilterCondition[]

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** Timestamps compare by instant, as on the server (filters may give milliseconds or ISO strings); missing is null. */
function comparable(value: unknown): unknown {
  if (typeof value === 'string' && isoTimestamp.test(value)) return Date.parse(value)
  return value ?? null
}

function conditionHolds(row: Row, condition: FilterCondition): boolean {
  const actual = comparable(row[condition.key])
  if ('values' in condition) return condition.values.some((value) => actual === comparable(value))
  const equal = actual === comparable(condition.value)
  return 'type' in condition ? !equal : equal
}

/**
 * Whether `row` meets every condition of a subscription filter, with the server's semantics.
 * One table's rows are shared by all its subscriptions, so each subscription's view applies
 * its own filter to rows another subscription brought in.
 */
export function rowMatches(row: Row, filter: RowFilter | undefined): boolean {
  return !filter || filter.every((condition) => conditionHolds(row, condition))
}
