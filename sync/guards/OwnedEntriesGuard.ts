import * as Y from 'yjs'
import { touchedEntries } from './touchedEntries.js'
import { type ClientWriter, ServerWriter } from '../writers.js'
import type { DocHooks } from './DocHooks.js'

/** The server's own repairs; not a client, so never checked. */
const repairOrigin = new ServerWriter(null)

interface Entry {
  json: unknown
  owner: string | null
}

/**
 * Collections of owned entries: top-level Y.Maps of id -> entry (a Y.Map whose `ownerField`
 * names its creator). A client may create entries only as itself and change or delete only
 * entries it owns (privileged writers any). An update that breaks this still integrates —
 * CRDT replicas cannot refuse it — but the guard answers with a compensating change that puts
 * every touched foreign entry back as it was, so all replicas, the offender's included,
 * converge to the protected state. It keeps a JSON copy of every entry to restore from.
 */
export class OwnedEntriesGuard implements DocHooks {
  private readonly collections: Map<Y.Map<unknown>, Map<string, Entry>>

  constructor(
    private readonly doc: Y.Doc,
    collectionNames: readonly string[],
    private readonly ownerField: string,
  ) {
    this.collections = new Map(
      collectionNames.map((name) => {
        const collection = doc.getMap<unknown>(name)
        const entries = new Map<string, Entry>()
        for (const [id, value] of collection) entries.set(id, this.describe(value))
        return [collection, entries]
      }),
    )
  }

  afterTransaction(transaction: Y.Transaction, writer: ClientWriter | null): void {
    const violations: { collection: Y.Map<unknown>; id: string; before: Entry | undefined }[] = []
    for (const [collection, ids] of touchedEntries(transaction, this.collections)) {
      const entries = this.collections.get(collection)!
      for (const id of ids) {
        const before = entries.get(id)
        const after = collection.has(id) ? this.describe(collection.get(id)) : undefined
        if (writer && !writer.privileged && !this.allowed(writer, before, after)) {
          violations.push({ collection, id, before })
          continue
        }
        if (after) entries.set(id, after)
        else entries.delete(id)
      }
    }
    if (violations.length === 0) return
    // A new transaction from here runs after this one, so its update follows the offending one everywhere.
    this.doc.transact(() => {
      for (const { collection, id, before } of violations) {
        if (before) collection.set(id, toEntryValue(before.json))
        else collection.delete(id)
      }
    }, repairOrigin)
  }

  /** Creating as oneself, and changing or deleting one's own entries without giving them away. */
  private allowed(writer: ClientWriter, before: Entry | undefined, after: Entry | undefined): boolean {
    if (before && before.owner !== writer.userId) return false
    return after === undefined || after.owner === writer.userId
  }

  private describe(value: unknown): Entry {
    const json = value instanceof Y.AbstractType ? value.toJSON() : value
    const owner = value instanceof Y.Map ? value.get(this.ownerField) : undefined
    return { json, owner: owner === undefined || owner === null ? null : String(owner) }
  }
}

/** An entry as it is written back: a Y.Map of its fields (entries are flat maps of JSON values). */
function toEntryValue(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json
  const entry = new Y.Map<unknown>()
  for (const [field, value] of Object.entries(json)) entry.set(field, value)
  return entry
}
