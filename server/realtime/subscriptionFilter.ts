import type { FilterCondition } from '../../schema/index.js'
import { InvalidInputError } from '../errors.js'
import { invalidInputAt } from './inputErrors.js'
import type { ColumnCondition, ConditionValue, RowFilter } from './rowSets.js'
import type { SyncedTable } from './SyncedTable.js'

/**
 * Turns a client's filter (`{key, value}` / `{key, values}` / `{type: "not", key, value}` conditions)
 * into a RowFilter on `table`, with every value in its column's type. Unlike the original,
 * which dropped unknown keys (and so widened the subscription), an unknown key is an error.
 */
export function parseSubscriptionFilter(table: SyncedTable, conditions: readonly FilterCondition[]): RowFilter {
  return conditions.map((condition, index): ColumnCondition => {
    const info = table.readable.get(condition.key)
    if (!info) throw new InvalidInputError(`invalid input: filter.${index}.key: table ${table.name} has no column "${condition.key}"`)
    const toColumnValue = (value: string | number | boolean | null, path: string): ConditionValue => {
      if (value === null) return null
      const parsed = info.fromJson.safeParse(value)
      if (!parsed.success) throw invalidInputAt(path, parsed.error)
      return parsed.data as ConditionValue
    }
    if ('values' in condition) {
      return { key: info.key, is: 'oneOf', values: condition.values.map((value, i) => toColumnValue(value, `filter.${index}.values.${i}`)) }
    }
    const value = toColumnValue(condition.value, `filter.${index}.value`)
    return 'type' in condition ? { key: info.key, is: 'notEqual', value } : { key: info.key, is: 'equal', value }
  })
}
