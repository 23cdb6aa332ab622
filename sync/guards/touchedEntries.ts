import type * as Y from 'yjs'

/**
 * The ids of the entries a transaction changed in `collections` (top-level Y.Maps of id -> entry),
 * however deep inside an entry the change was, by collection.
 */
export function touchedEntries(transaction: Y.Transaction, collections: ReadonlyMap<Y.Map<unknown>, unknown> | ReadonlySet<Y.Map<unknown>>): Map<Y.Map<unknown>, Set<string>> {
  const touched = new Map<Y.Map<unknown>, Set<string>>()
  const add = (collection: Y.Map<unknown>, id: string) => {
    let ids = touched.get(collection)
    if (!ids) touched.set(collection, (ids = new Set()))
    ids.add(id)
  }
  for (const [changedType, keys] of transaction.changed) {
    const type = changedType as Y.AbstractType<unknown>
    if (collections.has(type as Y.Map<unknown>)) {
      for (const key of keys) if (key !== null) add(type as Y.Map<unknown>, key)
      continue
    }
    // Climb to the child of a collection: that child's key in the collection is the entry id.
    let child: Y.AbstractType<unknown> = type
    while (child._item) {
      const parent = child._item.parent as Y.AbstractType<unknown>
      if (collections.has(parent as Y.Map<unknown>) && child._item.parentSub !== null) {
        add(parent as Y.Map<unknown>, child._item.parentSub)
        break
      }
      child = parent
    }
  }
  return touched
}
