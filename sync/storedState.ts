import * as Y from 'yjs'

/**
 * Builds a document from a stored checkpoint and the log records after it: the one way both the
 * live engine and history replay turn storage into a Y.Doc. The tail is applied in order inside
 * one transaction, 3-4x faster than `Y.mergeUpdates(tail)` for a long tail (bench/README.md).
 */
export function applyStoredState(doc: Y.Doc, checkpointState: Uint8Array | null, tail: readonly Uint8Array[]): void {
  if (checkpointState) Y.applyUpdate(doc, checkpointState)
  if (tail.length > 0) doc.transact(() => tail.forEach((update) => Y.applyUpdate(doc, update)))
}
