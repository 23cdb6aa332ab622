import type { SQL } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { SyncedTableName } from '../../schema/index.js'
import type { Permissions } from '../access/index.js'
import { type ColumnInfo, describeColumns, type FieldType, primaryKeyOf } from './columns.js'
import { type Row, type RowSet, rowSetSql } from './rowSets.js'

/**
 * A writable column as `appTables` describes it to clients, and as `appDataUpdate` checks it;
 * `values` lists the allowed values of an enum column. A field of type `table` is a list of child
 * rows written with the row.
 */
export interface FieldDescription {
  name: string
  type: FieldType | 'table'
  required: boolean
  default?: unknown
  values?: readonly string[]
  /** For a `table` field: the child table. */
  table?: SyncedTableName
}

/** A table whose rows live under a row of another synced table (a tag under its tag set). */
export interface ParentRule {
  table: SyncedTableName
  /** The column holding the parent row's id. */
  by: string
}

/**
 * Child rows written together with their parent through `appDataUpdate` (`data[field]`, a list
 * of child rows), and parent changes carried over to them: deleting the parent deletes its
 * children, publishing it publishes them (as the original's tag_set hooks did).
 */
export interface ChildRule {
  field: string
  /** A table whose `parent` rule names this table. */
  table: SyncedTableName
  cascade?: readonly ('deleted' | 'public')[]
}

/** What makes a table auto-synced: who sees and who writes which rows. */
export interface SyncedTableRules {
  name: SyncedTableName
  table: SQLiteTable
  /** Column holding the owning user's id; filled with the caller when a new row leaves it out. */
  owner?: string
  /** Non-admins may write the rows they own, or nothing (admins write every row of every table). */
  writers: 'owner' | 'admin'
  /** Columns clients may read but never write, besides the generated key, timestamps and secrets. */
  readOnly?: readonly string[]
  /** Why `appDataUpdate` may not create rows of this table, when it may not. */
  createRefusal?: string
  /** Non-admins write rows only under a live parent row they may write themselves. */
  parent?: ParentRule
  children?: readonly ChildRule[]
  /** Columns that never leave the server, and the one function that strips them from a row. */
  secrets?: { columns: readonly string[]; strip: (row: Row) => Row }
  /**
   * The rows a signed-in non-admin may see (admins see every row). The same rule decides
   * snapshots, pushes and which rows `appDataUpdate` may touch, so they cannot disagree. A rule
   * that depends on other tables (the studies a user takes part in) awaits what it needs.
   */
  visibleTo(can: Permissions): RowSet | Promise<RowSet>
}

/** Columns the server maintains: never written by clients. */
const serverColumns = ['createdAt', 'updatedAt', 'deleted', 'deletedAt']

/** One auto-synced table: its columns, its form fields and its access rules. */
export class SyncedTable {
  readonly name: SyncedTableName
  readonly table: SQLiteTable
  readonly owner: string | null
  readonly writers: 'owner' | 'admin'
  readonly createRefusal: string | null
  readonly parent: ParentRule | null
  readonly children: readonly ChildRule[]
  /** Property names of the primary key. */
  readonly key: readonly string[]
  /** True when the key is an autoincrement id: rows are created without it. */
  readonly hasGeneratedKey: boolean
  /** Columns that never leave the server. */
  readonly secret: ReadonlySet<string>
  /** Every column a client may see and filter on. */
  readonly readable: ReadonlyMap<string, ColumnInfo>
  /** Columns `appDataUpdate` accepts. */
  readonly writable: ReadonlyMap<string, ColumnInfo>
  readonly fields: readonly FieldDescription[]
  private readonly rules: SyncedTableRules

  constructor(rules: SyncedTableRules) {
    const columns = describeColumns(rules.table)
    if (!columns.has('deleted')) throw new Error(`synced table ${rules.name} needs the soft-delete columns`)
    this.rules = rules
    this.name = rules.name
    this.table = rules.table
    this.owner = rules.owner ?? null
    this.writers = rules.writers
    this.createRefusal = rules.createRefusal ?? null
    this.parent = rules.parent ?? null
    this.children = rules.children ?? []
    this.key = primaryKeyOf(rules.table, columns)
    // A single-column primary key with a default is the autoincrement id.
    this.hasGeneratedKey = this.key.length === 1 && columns.get(this.key[0]!)!.hasDefault
    this.secret = new Set(rules.secrets?.columns)
    this.readable = new Map([...columns].filter(([key]) => !this.secret.has(key)))
    const neverWritten = new Set([...serverColumns, ...(rules.readOnly ?? []), ...(this.hasGeneratedKey ? this.key : [])])
    this.writable = new Map([...this.readable].filter(([key]) => !neverWritten.has(key)))
    this.fields = [
      ...[...this.writable.values()].map((info) => this.describeField(info)),
      ...this.children.map((child): FieldDescription => ({ name: child.field, type: 'table', required: false, table: child.table })),
    ]
  }

  /** The rows `can.user` may see: everything for admins, else the table's rule. */
  async visibleRows(can: Permissions): Promise<RowSet> {
    return can.isAdmin() ? 'all' : this.rules.visibleTo(can)
  }

  /** SQL selecting the rows `can.user` may see. */
  async visibleWhere(can: Permissions): Promise<SQL> {
    return rowSetSql(this.readable, await this.visibleRows(can))
  }

  /** The row as a client may receive it: secrets removed. */
  toWire(row: Row): Row {
    return this.rules.secrets ? this.rules.secrets.strip(row) : row
  }

  /** The row's key as `appDataUpdate` answers it: the value of a single-column key, else the key columns. */
  keyOf(row: Row): unknown {
    return this.key.length === 1 ? row[this.key[0]!] : this.keyColumnsOf(row)
  }

  /** Only the key columns of the row, which is all a client that lost sight of it may learn. */
  keyColumnsOf(row: Row): Row {
    return Object.fromEntries(this.key.map((key) => [key, row[key]]))
  }

  private describeField(info: ColumnInfo): FieldDescription {
    // Defaults computed by SQL or at insert time (ids, hashes, timestamps) have no value to show.
    const staticDefault = info.column.default
    // The owner column defaults to the caller, so forms need not ask for it.
    const required = !info.nullable && !info.hasDefault && info.key !== this.owner
    const field: FieldDescription = { name: info.key, type: info.type, required }
    if (staticDefault !== undefined && typeof staticDefault !== 'object') field.default = staticDefault
    if (info.column.enumValues && info.column.enumValues.length > 0) field.values = info.column.enumValues
    return field
  }
}
