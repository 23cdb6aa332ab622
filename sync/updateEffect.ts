import * as Y from 'yjs'

/**
 * Whether applying `update` would change `doc`: it brings a struct the doc lacks, or deletes
 * something the doc has not deleted. A y-websocket client answers the server's sync step 1
 * with such a no-op step 2 on every connect (it carries the client's whole delete set), and
 * a read-only client must not be told off for that.
 */
export function wouldChange(doc: Y.Doc, encodedUpdate: Uint8Array): boolean {
  const update = Y.decodeUpdate(encodedUpdate)
  for (const struct of update.structs) {
    if (struct instanceof Y.Skip) continue
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true
  }
  if (update.ds.clients.size === 0) return false
  const deleted = Y.createDeleteSetFromStructStore(doc.store)
  for (const [client, ranges] of update.ds.clients) {
    const known = deleted.clients.get(client) ?? []
    if (ranges.some((range) => !covers(known, range.clock, range.len))) return true
  }
  return false
}

/** Whether sorted, merged `ranges` contain all of [clock, clock + len). */
function covers(ranges: readonly { clock: number; len: number }[], clock: number, len: number): boolean {
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const range = ranges[mid]!
    if (range.clock + range.len <= clock) low = mid + 1
    else if (range.clock > clock) high = mid - 1
    else return clock + len <= range.clock + range.len
  }
  return false
}
