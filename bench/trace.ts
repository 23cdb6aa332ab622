import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type * as Y from 'yjs'
import { repoRoot } from './servers.js'

/** One splice: delete `del` characters at `pos`, then insert `text` there. */
export type Patch = [pos: number, del: number, text: string]

export interface EditingTrace {
  patches: Patch[]
  endContent: string
}

export const tracePath = join(repoRoot, '..', 'shared', 'data', 'automerge-paper.json.gz')

/** The automerge-paper trace (format: shared/data/README.md), or null when the file is not there. */
export function loadTrace(): EditingTrace | null {
  if (!existsSync(tracePath)) return null
  const trace = JSON.parse(gunzipSync(readFileSync(tracePath)).toString('utf8')) as {
    endContent: string
    txns: Array<{ patches: Patch[] }>
  }
  return { patches: trace.txns.flatMap((txn) => txn.patches), endContent: trace.endContent }
}

/** One patch as the trace's editor made it: a transaction of its own, so one Yjs update per patch. */
export function applyPatch(text: Y.Text, [pos, del, insert]: Patch): void {
  if (!text.doc) throw new Error('the trace is applied to a Y.Text of a document')
  text.doc.transact(() => {
    if (del > 0) text.delete(pos, del)
    if (insert !== '') text.insert(pos, insert)
  })
}

/** How far the trace advances its author's Yjs clock: one tick per inserted character (the trace is ASCII). */
export function insertedLength(patches: readonly Patch[]): number {
  return patches.reduce((sum, [, , insert]) => sum + insert.length, 0)
}

/** `count` single-character inserts at pseudo-random positions (fixed seed), to stand in for the trace. */
export function syntheticPatches(count: number): Patch[] {
  let seed = 42
  const patches: Patch[] = []
  for (let length = 0; length < count; length++) {
    // A 32-bit LCG: deterministic across runs and machines.
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    patches.push([seed % (length + 1), 0, String.fromCharCode(97 + (seed % 26))])
  }
  return patches
}
