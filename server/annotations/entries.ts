import * as Y from 'yjs'
import type { Permissions } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { EntryCollection, Row } from './entryRows.js'

/** The live entry `id` of `collection` (not soft-deleted), or NotFound. */
export function findEntry(doc: Y.Doc, collection: EntryCollection, id: string): Y.Map<unknown> {
  const entry = doc.getMap<unknown>(collection).get(id)
  if (!(entry instanceof Y.Map) || entry.get('deleted') === true) throw new NotFoundError(`${collection.slice(0, -1)} ${id} does not exist`)
  return entry
}

/** Only the owner and admins change an entry (the guard enforces the same for Yjs clients). */
export function requireEntryOwner(entry: Y.Map<unknown>, can: Permissions, what: string): void {
  if (Number(entry.get('userId')) !== can.user.id && !can.isAdmin()) throw new ForbiddenError(`you may only change your own ${what}`)
}

/** A new entry: a flat Y.Map of the given JSON fields, stamped with creation time. */
export function createEntry(doc: Y.Doc, collection: EntryCollection, id: string, fields: Row): Y.Map<unknown> {
  const now = new Date().toISOString()
  const entry = new Y.Map<unknown>()
  for (const [field, value] of Object.entries({ ...fields, deleted: false, createdAt: now, updatedAt: now })) entry.set(field, value)
  doc.getMap<unknown>(collection).set(id, entry)
  return entry
}

/** Sets the given fields (undefined ones are left alone) and stamps the change time. */
export function updateEntry(entry: Y.Map<unknown>, fields: Row): void {
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) entry.set(field, value)
  entry.set('updatedAt', new Date().toISOString())
}
