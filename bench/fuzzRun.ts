import fc from 'fast-check'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { SqliteDocStore } from '../sync/index.js'
import { openDatabase } from '../schema/db/index.js'
import { applyStoredState } from '../sync/storedState.js'
import { closeProviders, syncedProvider } from '../test/helpers/clients.js'
import type { ServerProcess } from '../test/helpers/server.js'
import { type FuzzFrame, fuzzFrames } from './fuzzFrames.js'
import { Probe } from './probe.js'
import { emptyStep1 } from './wire.js'

/** Frames per fast-check run; a run's connections go out together. */
const framesPerRun = 16
/**
 * Frames per fuzzed doc. Every connection's closing sync step 1 is answered with the whole doc,
 * so docs are kept small by taking a fresh one every so often; each one is checked against the store.
 */
const framesPerDoc = 2_000
/** How long a fuzz connection may take to be answered or closed; longer is a hang. */
const settleTimeoutMs = 10_000
/** The reference client's round trip may be slow under fuzzing, but not this slow. */
const maxProbeRttMs = 5_000
/** Its step 1 is answered with the whole doc; at the trace replay's 10 ms the answers alone would keep the server busy. */
const probeIntervalMs = 50

export interface FuzzTarget {
  server: ServerProcess
  dbPath: string
  /** `ws://…/sync`. */
  syncUrl: string
  token: string
  /** Docs are named `<docPrefix>:<n>`. */
  docPrefix: string
}

export interface Mismatch {
  doc: string
  /** How a fresh client's doc differed from the stored one; the first difference found, in this order. */
  kind: 'unloadable' | 'state vector' | 'deletions' | 'text'
  detail: string
}

export interface FuzzReport {
  frames: number
  connections: number
  docs: number
  /** How the server ended fuzz connections, by close code; 'open' for those it kept. */
  outcomes: Map<string, number>
  /** The reference clients' longest round trip, and their round trips in all. */
  probeWorstMs: number
  probeSamples: number
  /** The run that failed, as fast-check reports it (with its seed), which ended the fuzz; null if none did. */
  failure: string | null
  /** The docs whose fresh client got another state than the one stored. */
  mismatches: Mismatch[]
}

/**
 * Sends `frames` fuzz frames on raw `ws` connections, `framesPerDoc` to each of a series of docs,
 * `framesPerRun` per fast-check run. A hostile frame ends its connection's share of a run, so
 * nearly every frame reaches a live connection; each connection then sends a sync step 1 and
 * waits for the answers or a close. After every run: the server process is alive, and a
 * well-behaved client on the same doc is still connected with its round trip answered. After each
 * doc: a fresh stock client syncs to exactly the state the server has stored for it. A failed run
 * ends the fuzz (the server may be gone); a mismatch is recorded and the next doc starts.
 * `onDoc` hears of the report so far after each finished doc.
 */
export async function fuzzServer(target: FuzzTarget, frames: number, seed: number, onDoc: (report: FuzzReport) => void = () => {}): Promise<FuzzReport> {
  const report: FuzzReport = { frames: 0, connections: 0, docs: 0, outcomes: new Map(), probeWorstMs: 0, probeSamples: 0, failure: null, mismatches: [] }
  for (let doc = 0; report.frames < frames; doc++) {
    const docName = `${target.docPrefix}:${doc}`
    const url = `${target.syncUrl}/${encodeURIComponent(docName)}?token=${encodeURIComponent(target.token)}`
    const probe = await Probe.start({ url, docName, dialect: 'y-websocket' }, probeIntervalMs)
    report.docs++
    let failed: string | null
    try {
      const property = fc.asyncProperty(fc.array(fuzzFrames(), { minLength: framesPerRun, maxLength: framesPerRun }), async (run) => {
        const batches = splitAtHostile(run)
        report.connections += batches.length
        report.frames += run.length
        for (const outcome of await Promise.all(batches.map((batch) => sendBatch(url, batch)))) report.outcomes.set(outcome, (report.outcomes.get(outcome) ?? 0) + 1)
        assertHealthy(target.server, probe)
      })
      // No shrinking: the server keeps the state of every earlier run, so a smaller replay is not the same test.
      const runs = Math.ceil(Math.min(framesPerDoc, frames - report.frames) / framesPerRun)
      const details = await fc.check(property, { numRuns: runs, seed: seed + doc, endOnFailure: true })
      failed = details.failed ? `${String(details.errorInstance)}\n${fc.defaultReportMessage(details) ?? ''}` : null
    } finally {
      const result = await probe.stop()
      report.probeWorstMs = Math.max(report.probeWorstMs, result.maxRttMs)
      report.probeSamples += result.samples
    }
    if (failed) {
      report.failure = `${docName}: ${failed}`
      break
    }
    const mismatch = await storedStateMismatch(target, docName)
    if (mismatch) report.mismatches.push({ doc: docName, ...mismatch })
    onDoc(report)
  }
  return report
}

/** Consecutive frames up to and including each hostile one: one connection each. */
function splitAtHostile(run: FuzzFrame[]): FuzzFrame[][] {
  const batches: FuzzFrame[][] = [[]]
  for (const frame of run) {
    batches.at(-1)?.push(frame)
    if (frame.hostile) batches.push([])
  }
  return batches.filter((batch) => batch.length > 0)
}

/**
 * Opens a connection, sends `batch` and a sync step 1, and answers how it ended: 'open' once every
 * step 1 sent is answered (so the server handled the whole batch), or the close code.
 */
function sendBatch(url: string, batch: FuzzFrame[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`a fuzz connection was neither answered nor closed within ${settleTimeoutMs} ms`))
    }, settleTimeoutMs)
    const finish = (outcome: string): void => {
      clearTimeout(timer)
      resolve(outcome)
    }
    const isSync = (bytes: Uint8Array, syncType: number): boolean => bytes[0] === 0 && bytes[1] === syncType
    let unanswered = 1 + batch.filter((frame) => isSync(frame.bytes, 0)).length
    ws.on('error', () => {})
    ws.on('close', (code) => finish(String(code)))
    ws.on('open', () => {
      for (const frame of batch) ws.send(frame.bytes)
      ws.send(emptyStep1)
    })
    ws.on('message', (data: Buffer) => {
      if (!isSync(data, 1) || --unanswered > 0) return
      ws.removeAllListeners('close')
      ws.close()
      finish('open')
    })
  })
}

function assertHealthy(server: ServerProcess, probe: Probe): void {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server process ended: code ${child.exitCode}, signal ${child.signalCode}`)
  if (probe.lost !== null) throw new Error(`the reference client was disconnected: ${probe.lost}`)
  if (probe.worstMs > maxProbeRttMs) throw new Error(`the reference client waited ${Math.round(probe.worstMs)} ms for a round trip`)
}

/**
 * How a fresh stock client's doc differs from what the server stored (the latest checkpoint plus
 * the log tail, read from the database file), or null. Equal snapshots mean equal state vectors
 * and delete sets; the texts are compared too. A log that cannot be loaded is a mismatch.
 */
async function storedStateMismatch(target: FuzzTarget, docName: string): Promise<Omit<Mismatch, 'doc'> | null> {
  const fresh = await syncedProvider(target.syncUrl, docName, { params: { token: target.token } })
  const store = new SqliteDocStore(openDatabase(target.dbPath))
  const stored = new Y.Doc()
  try {
    try {
      const { checkpoint, tail } = store.load(docName)
      applyStoredState(stored, checkpoint?.state ?? null, tail)
    } catch (error) {
      return { kind: 'unloadable', detail: String(error) }
    }
    const vector = (doc: Y.Doc): string => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))])
    if (vector(fresh.doc) !== vector(stored)) return { kind: 'state vector', detail: `fresh client ${vector(fresh.doc)}, stored ${vector(stored)}` }
    if (!Y.equalSnapshots(Y.snapshot(fresh.doc), Y.snapshot(stored))) return { kind: 'deletions', detail: 'equal state vectors, different delete sets' }
    const [freshText = '', storedText = ''] = [fresh.doc, stored].map((doc) => doc.getText('content').toString())
    if (freshText === storedText) return null
    let at = 0
    while (freshText[at] === storedText[at]) at++
    const around = (text: string): string => JSON.stringify(text.slice(Math.max(0, at - 4), at + 8))
    return { kind: 'text', detail: `${freshText.length} and ${storedText.length} characters, first different at ${at}: fresh client ${around(freshText)}, stored ${around(storedText)}` }
  } finally {
    closeProviders(fresh)
    stored.destroy()
    store.close()
  }
}
