import { getTableColumns } from 'drizzle-orm'
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'

/**
 * How a column's value travels as JSON; timestamps go out as ISO strings and come in as
 * milliseconds or ISO strings; `json` columns hold any JSON value (stored as JSON text).
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'date' | 'json'

/** One column of a synced table, as the generic read and write paths see it. */
export interface ColumnInfo {
  /** The property name: the key in rows on the wire, in filters and in `appDataUpdate` data. */
  key: string
  column: SQLiteColumn
  type: FieldType
  nullable: boolean
  /** The database or drizzle fills the column when a new row leaves it out. */
  hasDefault: boolean
  /** Turns a JSON value into the column's value (a timestamp into a Date); null is left to the caller. */
  fromJson: z.ZodType
}

const fieldTypes: Record<string, FieldType> = { string: 'string', number: 'number', boolean: 'boolean', date: 'date', json: 'json' }

/** The columns of `table` by property name; throws at start-up for a column type the generic paths cannot carry. */
export function describeColumns(table: SQLiteTable): Map<string, ColumnInfo> {
  const columns = new Map<string, ColumnInfo>()
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const type = fieldTypes[column.dataType]
    if (!type) throw new Error(`column ${getTableConfig(table).name}.${key} has type ${column.dataType}, which table sync cannot carry`)
    columns.set(key, { key, column, type, nullable: !column.notNull, hasDefault: column.hasDefault, fromJson: fromJsonSchema(type, column) })
  }
  return columns
}

/** Property names of the primary key, single or composite. */
export function primaryKeyOf(table: SQLiteTable, columns: Map<string, ColumnInfo>): string[] {
  const keyOf = (column: SQLiteColumn) => [...columns.values()].find((info) => info.column === column)!.key
  const single = [...columns.values()].filter((info) => info.column.primary).map((info) => info.key)
  return single.length > 0 ? single : (getTableConfig(table).primaryKeys[0]?.columns.map(keyOf) ?? [])
}

function fromJsonSchema(type: FieldType, column: SQLiteColumn): z.ZodType {
  switch (type) {
    case 'string':
      // A text column declared with an enum accepts only those values.
      return column.enumValues && column.enumValues.length > 0 ? z.enum(column.enumValues as [string, ...string[]]) : z.string()
    case 'number':
      return column.columnType === 'SQLiteInteger' ? z.number().int() : z.number()
    case 'boolean':
      return z.boolean()
    case 'date':
      return z.union([z.number().int(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value))
    case 'json':
      return z.json()
  }
}
