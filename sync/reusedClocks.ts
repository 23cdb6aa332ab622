import * as Y from 'yjs'
import type { ClientStart } from './protocol/index.js'

/**
 * The first place where `update` re-sends clocks the doc already holds with other neighbours
 * (origin, right origin or parent), or null when it re-sends nothing or only what the doc holds.
 *
 * Yjs treats a client id and clock as one struct forever: a struct the doc already has is skipped,
 * and one that overlaps its end is cut and hung after the doc's own struct at the last known clock.
 * Stock clients only re-send what they sent before, but any writer can reuse a client id for other
 * content; Yjs then hangs the new struct between neighbours in the wrong order, and the doc no
 * longer equals what its own update events (the log) rebuild. Comparing neighbours is enough:
 * different content under the same neighbours is skipped by Yjs, in the live doc and the log alike.
 * Structs the doc has already collected (GC) cannot be compared and are let through, as Yjs skips them.
 */
export function findReusedClock(doc: Y.Doc, update: Uint8Array, starts: readonly ClientStart[]): ClientStart | null {
  const { store } = doc
  if (!starts.some(({ client, clock }) => clock < Y.getState(store, client))) return null
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue
    const { client, clock: first } = struct.id
    const end = Math.min(first + struct.length, Y.getState(store, client))
    const held = store.clients.get(client)
    if (!held || first >= end) continue
    for (let index = Y.findIndexSS(held, first); index < held.length; index++) {
      const item = held[index]
      if (!item || item.id.clock >= end) break
      if (!(item instanceof Y.Item)) continue
      // The first clock both structs cover: where the update's struct or the doc's item begins.
      const clock = Math.max(first, item.id.clock)
      if (!sameNeighbours(doc, struct, item, clock)) return { client, clock }
    }
  }
  return null
}

/** Whether the update's struct and the doc's item give the element at `clock` the same origins and parent. */
function sameNeighbours(doc: Y.Doc, sent: Y.Item, held: Y.Item, clock: number): boolean {
  const originAt = (item: Y.Item): Y.ID | null => (clock === item.id.clock ? item.origin : Y.createID(item.id.client, clock - 1))
  if (!sameId(originAt(sent), originAt(held)) || !sameId(sent.rightOrigin, held.rightOrigin)) return false
  // A decoded struct names its parent only when it has no origins (otherwise the origins place it).
  if (sent.parentSub !== null && sent.parentSub !== held.parentSub) return false
  const parent = sent.parent as unknown
  if (typeof parent === 'string') return held.parent === doc.share.get(parent)
  if (parent instanceof Y.ID) return sameId(parent, (held.parent as Y.AbstractType<unknown>)._item?.id ?? null)
  return true
}

function sameId(a: Y.ID | null, b: Y.ID | null): boolean {
  return a === b || (a !== null && b !== null && Y.compareIDs(a, b))
}
