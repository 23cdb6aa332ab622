import { z } from 'zod'
import type { FolioDatabase } from '../../sync/index.js'
import type { Permissions } from '../access/index.js'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import { constraintError } from './constraintErrors.js'
import { invalidInputAt } from './inputErrors.js'
import { type ColumnCondition, equal, filterSql, type Row, rowInSet } from './rowSets.js'
import type { SyncedTable } from './SyncedTable.js'

/** What one `appDataUpdate` did: the row as it now is, and whether anything was written. */
export interface WriteResult {
  row: Row
  /** The row before an update; null for a new row. */
  previous: Row | null
  changed: boolean
}

/** `data` split into what it asks for. */
interface WriteRequest {
  /** The generated key of the row to update; absent, null or 0 creates a row. */
  id: number | null
  /** `deleted: true` soft-deletes the row. */
  deleted: boolean | undefined
  /** Writable columns, in their column types. */
  values: Row
}

const idInput = z.number().int().nonnegative().nullable().optional()
const deletedInput = z.boolean().optional()

/**
 * Creates or updates one row of `synced` for `can.user` (the seed's generic `appDataUpdate`),
 * enforcing the table's rules: admin-only tables refuse others; elsewhere non-admins create
 * rows they own and change only rows they own and can see (the original let anyone change any
 * row by id, its issue #361). Synchronous: it runs inside the call's transaction.
 */
export function writeSyncedRow(db: FolioDatabase, synced: SyncedTable, can: Permissions, data: Record<string, unknown>): WriteResult {
  if (synced.writers === 'admin' && !can.isAdmin()) throw new ForbiddenError(`only administrators may change ${synced.name} rows`)
  const request = parseRequest(synced, data)
  const existing = findExisting(db, synced, can, request)
  try {
    return existing ? update(db, synced, can, existing, request) : create(db, synced, can, request)
  } catch (error) {
    throw constraintError(synced, error) ?? error
  }
}

function parseRequest(synced: SyncedTable, data: Record<string, unknown>): WriteRequest {
  const generatedKey = synced.hasGeneratedKey ? synced.key[0] : undefined
  const shape: Record<string, z.ZodType> = { deleted: deletedInput, ...(generatedKey ? { [generatedKey]: idInput } : {}) }
  for (const key of Object.keys(data)) {
    const info = synced.writable.get(key)
    if (info) shape[key] = info.nullable ? info.fromJson.nullable() : info.fromJson
    else if (!Object.hasOwn(shape, key)) throw new InvalidInputError(`invalid input: data.${key}: ${unwritableReason(synced, key)}`)
  }
  const parsed = z.object(shape).safeParse(data)
  if (!parsed.success) throw invalidInputAt('data', parsed.error)
  const { deleted, ...rest } = parsed.data as Row & { deleted?: boolean }
  const id = generatedKey ? ((rest[generatedKey] as number | null | undefined) ?? null) : null
  if (generatedKey) delete rest[generatedKey]
  return { id: id === 0 ? null : id, deleted, values: rest }
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
function findExisting(db: FolioDatabase, synced: SyncedTable, can: Permissions, request: WriteRequest): Row | null {
  let where: ColumnCondition[]
  if (synced.hasGeneratedKey) {
    if (request.id === null) return null
    where = [equal(synced.key[0]!, request.id), equal('deleted', false)]
  } else {
    const missing = synced.key.filter((key) => request.values[key] === undefined)
    if (missing.length > 0) throw new InvalidInputError(`invalid input: ${missing.map((key) => `data.${key}: required, it identifies the ${synced.name} row`).join('; ')}`)
    where = synced.key.map((key) => equal(key, request.values[key] as string | number))
  }
  const row = db.select().from(synced.table).where(filterSql(synced.readable, where)).get() as Row | undefined
  if (row && rowInSet(row, synced.visibleRows(can))) return row
  if (synced.hasGeneratedKey) throw new NotFoundError(`${synced.name} row ${request.id} does not exist`)
  return null
}

function create(db: FolioDatabase, synced: SyncedTable, can: Permissions, request: WriteRequest): WriteResult {
  if (synced.createRefusal) throw new InvalidInputError(`appDataUpdate cannot create ${synced.name} rows: ${synced.createRefusal}`)
  if (request.deleted) throw new InvalidInputError('invalid input: data.deleted: a new row cannot be deleted; leave deleted out')
  const values: Row = { ...request.values }
  // New rows get the defaults appTables announced (the columns' defaults), and the caller as owner.
  for (const field of synced.fields) if (values[field.name] === undefined && 'default' in field) values[field.name] = field.default
  if (synced.owner) {
    values[synced.owner] ??= can.user.id
    if (values[synced.owner] !== can.user.id && !can.isAdmin()) throw new ForbiddenError(`you may only create ${synced.name} rows that you own`)
  }
  const missing = synced.fields.filter((field) => field.required && values[field.name] === undefined)
  if (missing.length > 0) throw new InvalidInputError(`invalid input: ${missing.map((field) => `data.${field.name}: required for a new ${synced.name} row`).join('; ')}`)
  return { row: db.insert(synced.table).values(values).returning().get() as Row, previous: null, changed: true }
}

function update(db: FolioDatabase, synced: SyncedTable, can: Permissions, existing: Row, request: WriteRequest): WriteResult {
  if (synced.owner && !can.isAdmin()) {
    if (existing[synced.owner] !== can.user.id) throw new ForbiddenError(`you may only change your own ${synced.name} rows`)
    const newOwner = request.values[synced.owner]
    if (newOwner !== undefined && newOwner !== can.user.id) throw new ForbiddenError(`only administrators may give a ${synced.name} row to another user`)
  }
  const changes: Row = { ...request.values }
  if (request.deleted && !existing.deleted) Object.assign(changes, { deleted: true, deletedAt: new Date() })
  if (!request.deleted && existing.deleted) Object.assign(changes, { deleted: false, deletedAt: null })
  if (Object.keys(changes).length === 0) return { row: existing, previous: existing, changed: false }
  const byKey = synced.key.map((key) => equal(key, existing[key] as string | number))
  return { row: db.update(synced.table).set(changes).where(filterSql(synced.readable, byKey)).returning().get() as Row, previous: existing, changed: true }
}
