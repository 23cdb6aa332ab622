type Row = Record<string, unknown>

/** One written row, with what it was before the write (null for a new row). */
export interface RowWrite {
  row: Row
  previous: Row | null
  /**
   * Users who could see the row before the write for a reason the row does not carry (a share of
   * it that the call ended): those no longer allowed to see it learn that it left their view.
   */
  formerAudience?: readonly number[]
}

/** Rows one call wrote to an auto-synced table, published as `<table>Refresh` after commit. */
export interface TableChange {
  table: string
  writes: RowWrite[]
}

/** Collects the rows a call writes; the realtime layer publishes them once the call's transaction commits. */
export class ChangeSet {
  private readonly byTable = new Map<string, Map<unknown, RowWrite>>()

  /**
   * Records a written row of `table` and, for an update, the row before it, so subscribers who
   * could see the old row learn when it leaves their view. A later write of the same id replaces
   * the earlier one but keeps the first `previous`.
   */
  record(table: string, row: Row, previous: Row | null = null, formerAudience?: readonly number[]): void {
    let writes = this.byTable.get(table)
    if (!writes) this.byTable.set(table, (writes = new Map()))
    const key = row.id ?? writes.size
    const earlier = writes.get(key)
    const audience = [...(earlier?.formerAudience ?? []), ...(formerAudience ?? [])]
    writes.set(key, { row, previous: earlier?.previous ?? previous, ...(audience.length > 0 ? { formerAudience: audience } : {}) })
  }

  get isEmpty(): boolean {
    return this.byTable.size === 0
  }

  changes(): TableChange[] {
    return [...this.byTable].map(([table, writes]) => ({ table, writes: [...writes.values()] }))
  }
}
