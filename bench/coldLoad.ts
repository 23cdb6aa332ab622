import * as Y from 'yjs'
import { LiveDoc } from '../sync/LiveDoc.js'
import { openDatabase } from '../schema/db/index.js'
import { SqliteDocStore, type UpdateRecord } from '../sync/storage/index.js'
import { median } from './stats.js'
import { applyPatch, type Patch } from './trace.js'

/** The server's default FOLIO_CHECKPOINT_EVERY_UPDATES. */
const checkpointEvery = 500
/** The longest log tail the server leaves behind a crash: the next update would have checkpointed. */
const crashTail = checkpointEvery - 1
export const coldLoadRepetitions = 25
/** Two copies of one history: `crashed` stops at the last periodic checkpoint, `unloaded` also has the unload one. */
export const crashedDoc = 'coldload-crashed'
const unloadedDoc = 'coldload-unloaded'

/**
 * The replay's Yjs client id. Fixed, because every item encodes its origin's client id and a
 * random id changes the state size by several percent; large, like most random uint32 ids.
 */
const replayClientId = 0x9e3779b9
/** Untimed rounds first: the first loads run unoptimized code and are several times slower. */
const warmupRounds = 5

export interface ColdLoadResult {
  edits: number
  stateBytes: number
  bareMs: number
  crashMs: number
  cleanMs: number
}

/**
 * Stores the history of `patches` in a fresh database at `dbPath` as the server would (one log
 * row per edit, a checkpoint every 500), then times loading it as the engine does against a bare
 * Y.applyUpdate of the same state: after a crash (checkpoint plus a 499-update tail) and after a
 * clean unload (a final checkpoint covering everything). Runs are interleaved, after untimed warm-up rounds.
 */
export function measureColdLoad(dbPath: string, patches: Patch[], expectedText: string | null): ColdLoadResult {
  const store = new SqliteDocStore(openDatabase(dbPath))
  try {
    const doc = storeHistory(store, patches)
    const text = doc.getText('content').toString()
    if (expectedText !== null && text !== expectedText) throw new Error('replaying the trace did not produce its endContent')
    const state = Y.encodeStateAsUpdate(doc)
    // What DocRegistry.unload writes: a checkpoint of the whole log, so the next load replays nothing.
    store.writeCheckpoint({ docId: unloadedDoc, seq: patches.length, state, stateVector: Y.encodeStateVector(doc), createdAt: Date.now() })
    doc.destroy()

    const bare = (): number =>
      timed(() => {
        const loaded = new Y.Doc()
        Y.applyUpdate(loaded, state)
        return { doc: loaded, destroy: () => loaded.destroy() }
      }, text)
    const load = (docName: string): number =>
      timed(() => {
        const liveDoc = new LiveDoc(docName, store.load(docName), { gc: true, load: (name) => store.load(name), onDirty: () => {}, onBroken: () => {}, hooksFor: () => [] })
        return { doc: liveDoc.doc, destroy: () => liveDoc.destroy() }
      }, text)

    const times = { bare: [] as number[], crash: [] as number[], clean: [] as number[] }
    const kinds: Array<[number[], () => number]> = [
      [times.bare, bare],
      [times.crash, () => load(crashedDoc)],
      [times.clean, () => load(unloadedDoc)],
    ]
    for (let round = 0; round < warmupRounds + coldLoadRepetitions; round++) {
      // Rotating the order gives each kind the same share of the garbage the previous one left.
      for (let i = 0; i < kinds.length; i++) {
        const [kindTimes, measure] = kinds[(round + i) % kinds.length] as [number[], () => number]
        const ms = measure()
        if (round >= warmupRounds) kindTimes.push(ms)
      }
    }
    return {
      edits: patches.length,
      stateBytes: state.byteLength,
      bareMs: median(times.bare),
      crashMs: median(times.crash),
      cleanMs: median(times.clean),
    }
  } finally {
    store.close()
  }
}

/** Milliseconds `load` took; then checks the loaded text (untimed) and frees the doc. */
function timed(load: () => { doc: Y.Doc; destroy(): void }, expectedText: string): number {
  const start = performance.now()
  const loaded = load()
  const ms = performance.now() - start
  if (loaded.doc.getText('content').toString() !== expectedText) throw new Error('a cold load produced a different text than the replay')
  loaded.destroy()
  return ms
}

/**
 * Replays `patches` one transaction each into both docs' logs as seq 1..N, appended in batches,
 * with a checkpoint every 500 rows phased so that the last one leaves exactly `crashTail` rows after it.
 */
export function storeHistory(store: SqliteDocStore, patches: Patch[]): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = replayClientId
  const text = doc.getText('content')
  const phase = (((patches.length - crashTail) % checkpointEvery) + checkpointEvery) % checkpointEvery
  let batch: UpdateRecord[] = []
  let seq = 0
  doc.on('update', (update: Uint8Array) => {
    seq++
    for (const docId of [crashedDoc, unloadedDoc]) {
      batch.push({ docId, seq, update, clientId: doc.clientID, userId: null, context: null, createdAt: Date.now() })
    }
  })
  for (const [index, patch] of patches.entries()) {
    applyPatch(text, patch)
    if (seq !== index + 1) throw new Error(`edit ${index + 1} of the history did not produce exactly one update`)
    if (seq % checkpointEvery === phase) {
      store.appendUpdates(batch)
      batch = []
      const checkpoint = { seq, state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), createdAt: Date.now() }
      for (const docId of [crashedDoc, unloadedDoc]) store.writeCheckpoint({ docId, ...checkpoint })
    }
  }
  store.appendUpdates(batch)
  return doc
}
