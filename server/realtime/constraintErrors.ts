import { getTableConfig } from 'drizzle-orm/sqlite-core'
import { ConflictError, type FolioError, InvalidInputError } from '../errors.js'
import type { SyncedTable } from './SyncedTable.js'

/**
 * The error a caller can act on for a write the database refused (a taken unique value, a
 * reference to a missing row), or null for any other failure. SQLite names SQL columns;
 * the answer names the properties clients send.
 */
export function constraintError(synced: SyncedTable, error: unknown): FolioError | null {
  // better-sqlite3's SqliteError, thrown as is or wrapped by drizzle as the cause.
  const sqliteError = [error, error instanceof Error ? error.cause : undefined].find((candidate) => candidate instanceof Error && 'code' in candidate)
  const code = (sqliteError as { code?: unknown } | undefined)?.code
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const sqlNames = /constraint failed: (.*)$/.exec((sqliteError as Error).message)?.[1]?.split(', ').map((name) => name.split('.').pop())
    const keys = [...synced.readable.values()].filter((info) => sqlNames?.includes(info.column.name)).map((info) => info.key)
    return new ConflictError(`another ${synced.name} row already has this ${keys.join(' and ') || 'key'}`)
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    const referencing = getTableConfig(synced.table).foreignKeys.flatMap((foreignKey) => foreignKey.reference().columns)
    const keys = [...synced.readable.values()].filter((info) => referencing.includes(info.column)).map((info) => info.key)
    return new InvalidInputError(`invalid input: the ${synced.name} row refers to a row that does not exist; check ${keys.join(', ')}`)
  }
  return null
}
