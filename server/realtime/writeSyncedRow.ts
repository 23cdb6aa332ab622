import { and, eq, ne } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import type { SyncedTableName } from '../../schema/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import type { Permissions } from '../access/index.js'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import { constraintError } from './constraintErrors.js'
import { invalidInputAt } from './inputErrors.js'
import { type ColumnCondition, equal, filterSql, type Row, rowInSet } from './rowSets.js'
import type { ChildRule, SyncedTable } from './SyncedTable.js'
import { syncedTables } from './syncedTables.js'

/** A row written besides the requested one: a nested child, or a child a cascade changed. */
export interface RelatedWrite {
  table: SyncedTableName
  row: Row
  previous: Row | null
}

/** What one `appDataUpdate` did: the row as it now is, and whether anything was written. */
export interface WriteResult {
  row: Row
  /** The row before an update; null for a new row. */
  previous: Row | null
  changed: boolean
  /** Child rows written with it (nested writes and cascades), to publish as well. */
  related: RelatedWrite[]
}

/** `data` split into what it asks for. */
interface WriteRequest {
  /** The generated key of the row to update; absent, null or 0 creates a row. */
  id: number | null
  /** `deleted: true` soft-deletes the row. */
  deleted: boolean | undefined
  /** Writable columns, in their column types. */
  values: Row
  /** Child rows to write under the row, by child field. */
  children: Map<ChildRule, Record<string, unknown>[]>
}

/** Where in the call's input a row's data sits (`data`, `data.tags.0`), for error messages, and defaults from its parent. */
interface WriteScope {
  path: string
  /** The owner a new row gets when it names none: a nested child belongs to its parent's owner. */
  defaultOwner: number | null
}

const idInput = z.number().int().nonnegative().nullable().optional()
const deletedInput = z.boolean().optional()
const childRowsInput = z.array(z.record(z.string(), z.unknown())).max(1000)

/**
 * Creates or updates one row of `synced` for `can.user` (the generic `appDataUpdate`),
 * enforcing the table's rules: admin-only tables refuse others; elsewhere non-admins create
 * rows they own and change only rows they own and can see (the original let anyone change any
 * row by id, its issue #361), and rows of a child table only under a parent they may write.
 * Child rows listed in `data[field]` are written in the same call, under the row, one statement
 * after another: it runs inside the call's transaction.
 */
export function writeSyncedRow(db: FolioDatabase, synced: SyncedTable, can: Permissions, data: Record<string, unknown>): Promise<WriteResult> {
  return writeRow(db, synced, can, data, { path: 'data', defaultOwner: null })
}

async function writeRow(db: FolioDatabase, synced: SyncedTable, can: Permissions, data: Record<string, unknown>, scope: WriteScope): Promise<WriteResult> {
  if (synced.writers === 'admin' && !can.isAdmin()) throw new ForbiddenError(`only administrators may change ${synced.name} rows`)
  const request = parseRequest(synced, data, scope.path)
  const existing = await findExisting(db, synced, can, request, scope.path)
  let result: WriteResult
  try {
    await requireWritableParent(db, synced, can, request, scope.path)
    result = existing ? await update(db, synced, can, existing, request) : await create(db, synced, can, request, scope)
  } catch (error) {
    throw constraintError(synced, error) ?? error
  }
  for (const [child, rows] of request.children) result.related.push(...(await writeChildren(db, synced, can, result.row, child, rows, scope.path)))
  if (result.previous) result.related.push(...(await cascade(db, synced, result.row, result.previous)))
  return result
}

function parseRequest(synced: SyncedTable, data: Record<string, unknown>, path: string): WriteRequest {
  const generatedKey = synced.hasGeneratedKey ? synced.key[0] : undefined
  const shape: Record<string, z.ZodType> = { deleted: deletedInput, ...(generatedKey ? { [generatedKey]: idInput } : {}) }
  const childFields = new Map(synced.children.map((child) => [child.field, child]))
  const children = new Map<ChildRule, Record<string, unknown>[]>()
  const columns: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    const child = childFields.get(key)
    if (child) {
      const rows = childRowsInput.safeParse(value)
      if (!rows.success) throw invalidInputAt(`${path}.${key}`, rows.error)
      children.set(child, rows.data)
      continue
    }
    columns[key] = value
    const info = synced.writable.get(key)
    if (info) shape[key] = info.nullable ? info.fromJson.nullable() : info.fromJson
    else if (!Object.hasOwn(shape, key)) throw new InvalidInputError(`invalid input: ${path}.${key}: ${unwritableReason(synced, key)}`)
  }
  const parsed = z.object(shape).safeParse(columns)
  if (!parsed.success) throw invalidInputAt(path, parsed.error)
  const { deleted, ...rest } = parsed.data as Row & { deleted?: boolean }
  const id = generatedKey ? ((rest[generatedKey] as number | null | undefined) ?? null) : null
  if (generatedKey) delete rest[generatedKey]
  return { id: id === 0 ? null : id, deleted, values: rest, children }
}

function unwritableReason(synced: SyncedTable, key: string): string {
  if (synced.readable.has(key) || synced.secret.has(key)) return `${synced.name}.${key} cannot be written`
  return `table ${synced.name} has no column "${key}"`
}

/**
 * The row the request updates, or null to create one. Tables with a generated id name the row
 * by id (a live row the caller can see); tables keyed by their data (a right's name, a
 * role-right pair) update the row with that key, deleted or not, so re-adding revives it.
 */
async function findExisting(db: FolioDatabase, synced: SyncedTable, can: Permissions, request: WriteRequest, path: string): Promise<Row | null> {
  let where: ColumnCondition[]
  if (synced.hasGeneratedKey) {
    if (request.id === null) return null
    where = [equal(synced.key[0]!, request.id), equal('deleted', false)]
  } else {
    const missing = synced.key.filter((key) => request.values[key] === undefined)
    if (missing.length > 0) throw new InvalidInputError(`invalid input: ${missing.map((key) => `${path}.${key}: required, it identifies the ${synced.name} row`).join('; ')}`)
    where = synced.key.map((key) => equal(key, request.values[key] as string | number))
  }
  const [row] = (await db.select().from(synced.table).where(filterSql(synced.readable, where)).limit(1)) as Row[]
  if (row && rowInSet(row, await synced.visibleRows(can))) return row
  if (synced.hasGeneratedKey) throw new NotFoundError(`${synced.name} row ${request.id} does not exist`)
  return null
}

/** A row of a child table goes only under a live parent the caller may write (admins: any live parent). */
async function requireWritableParent(db: FolioDatabase, synced: SyncedTable, can: Permissions, request: WriteRequest, path: string): Promise<void> {
  const rule = synced.parent
  const parentId = rule ? request.values[rule.by] : undefined
  // A new row without the column fails as a missing required field; an update keeps its parent.
  if (!rule || parentId === undefined || parentId === null) return
  const parent = syncedTables[rule.table]
  const [row] = (await db
    .select()
    .from(parent.table)
    .where(filterSql(parent.readable, [equal(parent.key[0]!, parentId as number), equal('deleted', false)]))
    .limit(1)) as Row[]
  if (!row || !rowInSet(row, await parent.visibleRows(can))) throw new InvalidInputError(`invalid input: ${path}.${rule.by}: ${parent.name} row ${String(parentId)} does not exist`)
  if (can.isAdmin()) return
  const mayWrite = parent.writers === 'owner' && parent.owner !== null && row[parent.owner] === can.user.id
  if (!mayWrite) throw new ForbiddenError(`you may only add ${synced.name} rows to ${parent.name} rows you own`)
}

async function create(db: FolioDatabase, synced: SyncedTable, can: Permissions, request: WriteRequest, scope: WriteScope): Promise<WriteResult> {
  if (synced.createRefusal) throw new InvalidInputError(`appDataUpdate cannot create ${synced.name} rows: ${synced.createRefusal}`)
  if (request.deleted) throw new InvalidInputError(`invalid input: ${scope.path}.deleted: a new row cannot be deleted; leave deleted out`)
  const values: Row = { ...request.values }
  // New rows get the defaults appTables announced (the columns' defaults), and the caller as owner.
  for (const field of synced.fields) if (values[field.name] === undefined && 'default' in field) values[field.name] = field.default
  if (synced.owner) {
    values[synced.owner] ??= scope.defaultOwner ?? can.user.id
    if (values[synced.owner] !== can.user.id && !can.isAdmin()) throw new ForbiddenError(`you may only create ${synced.name} rows that you own`)
  }
  const missing = synced.fields.filter((field) => field.required && values[field.name] === undefined)
  if (missing.length > 0) throw new InvalidInputError(`invalid input: ${missing.map((field) => `${scope.path}.${field.name}: required for a new ${synced.name} row`).join('; ')}`)
  const [row] = (await db.insert(synced.table).values(values).returning()) as Row[]
  return { row: row!, previous: null, changed: true, related: [] }
}

async function update(db: FolioDatabase, synced: SyncedTable, can: Permissions, existing: Row, request: WriteRequest): Promise<WriteResult> {
  if (synced.owner && !can.isAdmin()) {
    if (existing[synced.owner] !== can.user.id) throw new ForbiddenError(`you may only change your own ${synced.name} rows`)
    const newOwner = request.values[synced.owner]
    if (newOwner !== undefined && newOwner !== can.user.id) throw new ForbiddenError(`only administrators may give a ${synced.name} row to another user`)
  }
  const changes: Row = { ...request.values }
  if (request.deleted && !existing.deleted) Object.assign(changes, { deleted: true, deletedAt: new Date() })
  if (!request.deleted && existing.deleted) Object.assign(changes, { deleted: false, deletedAt: null })
  if (Object.keys(changes).length === 0) return { row: existing, previous: existing, changed: false, related: [] }
  const byKey = synced.key.map((key) => equal(key, existing[key] as string | number))
  const [row] = (await db.update(synced.table).set(changes).where(filterSql(synced.readable, byKey)).returning()) as Row[]
  return { row: row!, previous: existing, changed: true, related: [] }
}

/** Writes `data[child.field]`, each entry a child row (new, or by id an existing one) under `parent`. */
async function writeChildren(db: FolioDatabase, synced: SyncedTable, can: Permissions, parent: Row, child: ChildRule, rows: Record<string, unknown>[], path: string): Promise<RelatedWrite[]> {
  const childTable = syncedTables[child.table]
  const by = childTable.parent!.by
  const parentId = parent[synced.key[0]!]
  const writes: RelatedWrite[] = []
  for (const [index, data] of rows.entries()) {
    const childPath = `${path}.${child.field}.${index}`
    if (data[by] !== undefined && data[by] !== parentId) throw new InvalidInputError(`invalid input: ${childPath}.${by}: a nested ${child.table} row belongs to this ${synced.name} row; leave ${by} out`)
    const scope = { path: childPath, defaultOwner: synced.owner ? (parent[synced.owner] as number) : null }
    const written = await writeRow(db, childTable, can, { ...data, [by]: parentId }, scope)
    if (written.changed) writes.push({ table: child.table, row: written.row, previous: written.previous })
    writes.push(...written.related)
  }
  return writes
}

/** Carries a parent's deletion or publication over to its live children. */
async function cascade(db: FolioDatabase, synced: SyncedTable, row: Row, previous: Row): Promise<RelatedWrite[]> {
  const writes: RelatedWrite[] = []
  for (const child of synced.children) {
    const cascades = new Set(child.cascade)
    const changes: [column: string, Row][] = []
    if (cascades.has('deleted') && row.deleted === true && previous.deleted !== true) changes.push(['deleted', { deleted: true, deletedAt: new Date() }])
    if (cascades.has('public') && row.public === true && previous.public !== true) changes.push(['public', { public: true }])
    const childTable = syncedTables[child.table]
    const columnOf = (key: string) => childTable.readable.get(key)!.column as SQLiteColumn
    for (const [column, set] of changes) {
      const notYet = column === 'deleted' ? undefined : ne(columnOf(column), true)
      const where = and(eq(columnOf(childTable.parent!.by), row[synced.key[0]!] as number), eq(columnOf('deleted'), false), notYet)
      const before = new Map(((await db.select().from(childTable.table).where(where)) as Row[]).map((child) => [child.id, child]))
      if (before.size === 0) continue
      for (const updated of (await db.update(childTable.table).set(set).where(where).returning()) as Row[]) {
        writes.push({ table: child.table, row: updated, previous: before.get(updated.id) ?? null })
      }
    }
  }
  return writes
}
