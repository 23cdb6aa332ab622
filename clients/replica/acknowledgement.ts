import * as Y from 'yjs'

/*
 * How the SDK learns that the server has stored its updates, with the stock protocol only. The
 * server builds every sync step 2 it sends from stored state (it answers a sync step 1 once the
 * turn's updates are committed), so whatever a step 2 holds is stored. And a Yjs doc holds each
 * client's structs without gaps from clock 0, so the highest clock of a client in a step 2 is
 * the server's clock for that client, and every struct below it is stored too. Its delete set is
 * the doc's whole delete set. To ask, the SDK sends a sync step 1 whose state vector stops one
 * clock short of its newest pending struct per client: the answer then carries one struct of
 * each such client the server holds (and what this replica lacks), not the pending edits again.
 */

/** The state vector of a sync step 1 whose answer tells which of `pending` the server holds. */
export function probeStateVector(doc: Y.Doc, pending: Iterable<Uint8Array>): Uint8Array {
  const stateVector = Y.decodeStateVector(Y.encodeStateVector(doc))
  const newest = new Map<number, number>()
  for (const update of pending) {
    for (const [client, clock] of Y.parseUpdateMeta(update).to) newest.set(client, Math.max(clock, newest.get(client) ?? 0))
  }
  for (const [client, clock] of newest) stateVector.set(client, clock - 1)
  return Y.encodeStateVector(stateVector)
}

/** Whether the server that sent `step2` (stored state) holds all of `update`: its structs and its deletions. */
export function storedState(step2: Uint8Array): (update: Uint8Array) => boolean {
  const { ds } = Y.decodeUpdate(step2)
  // Clients absent from step2 count as clock 0: the server may hold some of them, but step2 cannot tell.
  const snapshot = Y.createSnapshot(Y.mergeDeleteSets([ds]), new Map(Y.parseUpdateMeta(step2).to))
  return (update) => Y.snapshotContainsUpdate(snapshot, update)
}
