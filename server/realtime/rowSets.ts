import { and, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm'
import type { ColumnInfo } from './columns.js'

/** A row as drizzle reads it: property names to values (timestamps are Dates). */
export type Row = Record<string, unknown>

/** A column value a condition compares with, already in the column's type (a Date for timestamps). */
export type ConditionValue = string | number | boolean | Date | null

/**
 * A condition on one column. Visibility rules and subscription filters are both built from
 * these, and each is evaluated two ways, as SQL for snapshots and in memory for pushes, so
 * the two cannot drift apart: both interpreters are below, side by side.
 */
export type ColumnCondition =
  | { key: string; is: 'equal'; value: ConditionValue }
  | { key: string; is: 'oneOf'; values: readonly ConditionValue[] }
  | { key: string; is: 'notEqual'; value: ConditionValue }

/** The rows meeting every condition; no conditions means every row. */
export type RowFilter = readonly ColumnCondition[]

/** Every row, or the rows matching at least one of the filters (none when the list is empty). */
export type RowSet = 'all' | readonly RowFilter[]

export const equal = (key: string, value: ConditionValue): ColumnCondition => ({ key, is: 'equal', value })

/** Dates compare by instant; a missing value counts as null. */
function comparable(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : (value ?? null)
}

function conditionHolds(row: Row, condition: ColumnCondition): boolean {
  const actual = comparable(row[condition.key])
  switch (condition.is) {
    case 'equal':
      return actual === comparable(condition.value)
    case 'oneOf':
      return condition.values.some((value) => actual === comparable(value))
    case 'notEqual':
      return actual !== comparable(condition.value)
  }
}

export function rowMatches(row: Row, filter: RowFilter): boolean {
  return filter.every((condition) => conditionHolds(row, condition))
}

export function rowInSet(row: Row, set: RowSet): boolean {
  return set === 'all' || set.some((filter) => rowMatches(row, filter))
}

/** SQL for one condition, with the in-memory semantics: null equals only null, and differs from every value. */
function conditionSql(columns: ReadonlyMap<string, ColumnInfo>, condition: ColumnCondition): SQL {
  const column = columns.get(condition.key)?.column
  if (!column) throw new Error(`condition on unknown column "${condition.key}"`)
  switch (condition.is) {
    case 'equal':
      return condition.value === null ? isNull(column) : eq(column, condition.value)
    case 'oneOf': {
      const values = condition.values.filter((value) => value !== null)
      const parts = [values.length > 0 ? inArray(column, values) : undefined, values.length < condition.values.length ? isNull(column) : undefined]
      return or(...parts) ?? sql`0`
    }
    case 'notEqual':
      return condition.value === null ? isNotNull(column) : or(isNull(column), ne(column, condition.value))!
  }
}

export function filterSql(columns: ReadonlyMap<string, ColumnInfo>, filter: RowFilter): SQL {
  return and(...filter.map((condition) => conditionSql(columns, condition))) ?? sql`1`
}

export function rowSetSql(columns: ReadonlyMap<string, ColumnInfo>, set: RowSet): SQL {
  if (set === 'all') return sql`1`
  return or(...set.map((filter) => filterSql(columns, filter))) ?? sql`0`
}
