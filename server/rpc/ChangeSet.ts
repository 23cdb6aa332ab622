/** Rows one call wrote to auto-synced tables, published as `<table>Refresh` after commit. */
export interface TableChange {
  table: string
  rows: Record<string, unknown>[]
}

/** Collects the rows a call writes; the realtime layer publishes them once the call's transaction commits. */
export class ChangeSet {
  private readonly byTable = new Map<string, Map<unknown, Record<string, unknown>>>()

  /** Records written rows of `table`; a later write of the same id replaces the earlier one. */
  record(table: string, ...rows: Record<string, unknown>[]): void {
    let rowsById = this.byTable.get(table)
    if (!rowsById) this.byTable.set(table, (rowsById = new Map()))
    for (const row of rows) rowsById.set(row.id ?? rowsById.size, row)
  }

  get isEmpty(): boolean {
    return this.byTable.size === 0
  }

  changes(): TableChange[] {
    return [...this.byTable].map(([table, rows]) => ({ table, rows: [...rows.values()] }))
  }
}
