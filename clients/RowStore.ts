import type { Row } from './rowFilter.js'

/** The key of a row in its table's store; rows without one are ignored. */
export type RowKey = (row: Row) => string | number | undefined

/** Tables whose primary key is not `id`. */
const keyColumns: Record<string, readonly string[]> = {
  user_right: ['name'],
  role_right_matching: ['userRoleId', 'userRightName'],
}

/** The key of `table`'s rows: `id`, or the table's primary key columns. */
export function rowKeyOf(table: string): RowKey {
  const columns = keyColumns[table]
  if (!columns) return (row) => (typeof row.id === 'string' || typeof row.id === 'number' ? row.id : undefined)
  return (row) => (columns.every((column) => row[column] !== undefined) ? JSON.stringify(columns.map((column) => row[column])) : undefined)
}

/**
 * The local copy of one table's rows, merged from `<table>Refresh` pushes as the original's
 * table stores did: a row shallow-merges into the one with its key (pushes may be partial),
 * and a row with `deleted: true` removes it.
 */
export class RowStore {
  private readonly rows = new Map<string | number, Row>()
  /** Keys seen since `beginResync()`, or null when no resync is running. */
  private seen: Set<string | number> | null = null

  constructor(private readonly keyOf: RowKey) {}

  /** Merges pushed rows; true when anything changed. */
  apply(rows: readonly Row[]): boolean {
    let changed = false
    for (const row of rows) {
      if (row === null || typeof row !== 'object') continue
      const key = this.keyOf(row)
      if (key === undefined) continue
      this.seen?.add(key)
      if (row.deleted === true) {
        changed = this.rows.delete(key) || changed
        continue
      }
      const old = this.rows.get(key)
      this.rows.set(key, old ? { ...old, ...row } : { ...row })
      changed = true
    }
    return changed
  }

  /**
   * Starts counting which rows the server sends again. After a reconnect the fresh snapshots
   * are the truth: rows deleted while the socket was down are never pushed as deleted.
   */
  beginResync(): void {
    this.seen = new Set()
  }

  /** Drops the rows not sent since `beginResync()`; true when anything was dropped. */
  endResync(): boolean {
    const seen = this.seen
    this.seen = null
    if (!seen) return false
    let changed = false
    for (const key of [...this.rows.keys()]) {
      if (!seen.has(key)) changed = this.rows.delete(key) || changed
    }
    return changed
  }

  /** Stops a resync without dropping anything (the socket closed before the snapshots arrived). */
  abortResync(): void {
    this.seen = null
  }

  clear(): boolean {
    const changed = this.rows.size > 0
    this.rows.clear()
    return changed
  }

  values(): Row[] {
    return [...this.rows.values()]
  }
}
