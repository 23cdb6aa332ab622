import * as Y from 'yjs'

/**
 * The first item a transaction integrated that does not lie between its origin and its right
 * origin, or null. A stock client names the neighbours an item had when it was typed, so the origin
 * comes before the right origin; a crafted struct can name them the other way round, or in another
 * parent. Where Yjs then places the item depends on how the doc's items happen to be split: the
 * doc encoded as one update (a checkpoint, a sync step 2) rebuilds in another order than the doc
 * itself. Walking from the item to each origin costs what Yjs' own placement of it costs: the
 * items between them.
 */
export function findMisplacedItem(doc: Y.Doc, before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): Y.ID | null {
  const { store } = doc
  for (const [client, end] of after) {
    const start = before.get(client) ?? 0
    const structs = store.clients.get(client)
    if (!structs || end <= start) continue
    for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
      const item = structs[index]
      if (!(item instanceof Y.Item)) continue
      if (item.origin !== null && !reaches(item, Y.getItem(store, item.origin), (at) => at.left)) return item.id
      if (item.rightOrigin !== null && !reaches(item, Y.getItem(store, item.rightOrigin), (at) => at.right)) return item.id
    }
  }
  return null
}

function reaches(item: Y.Item, target: Y.AbstractStruct, step: (at: Y.Item) => Y.Item | null): boolean {
  for (let next = step(item); next !== null; next = step(next)) if (next === target) return true
  return false
}
