import { setTimeout as sleep } from 'node:timers/promises'
import { BenchChild, epochMs } from './child.js'
import { Probe, type ProbeResult } from './probe.js'
import type { BenchServer } from './servers.js'
import { fmt, progress } from './table.js'
import { countStoredUpdates } from './throughput.js'
import type { ReaderMessage, WriterMessage } from './traceMessages.js'

/** Building 260k frames and loading the trace take a few seconds per child; far less than this. */
const childReadyTimeoutMs = 120_000
/** The probe keeps sampling this long after the reader is done: a server may stall after the burst (a late commit, a checkpoint). */
const settleMs = 2_000

export interface TraceReplayResult {
  server: BenchServer['label']
  transactions: number
  /** Null when the reader never got the final text. */
  ingestPerSec: number | null
  elapsedMs: number | null
  /** How long the writer's send loop took. */
  sendMs: number | null
  probe: ProbeResult
  /** Rows of the doc in Folio's log; null for servers that store nothing. */
  storedRows: number | null
  /** Each client's unrequested end of session, with its time after the first send. */
  lost: string[]
  /** What kept the reader from the final text, or null when it got there. */
  failure: string | null
}

/**
 * Replays the trace against `server` on doc `docName`: a writer child sends every transaction as
 * fast as it can, a reader child reports when its text equals endContent, and a probe in this
 * process (which does nothing else meanwhile) times sync round trips on a second doc. Gives up
 * after `timeoutMs` from the first send, or as soon as the reader's session ends.
 */
export async function replayTrace(server: BenchServer, docName: string, timeoutMs: number): Promise<TraceReplayResult> {
  const address = JSON.stringify(server.address(docName))
  const reader = BenchChild.fork<ReaderMessage>(`${server.label} reader`, 'traceReader', [address])
  const writer = BenchChild.fork<WriterMessage>(`${server.label} writer`, 'traceWriter', [address])
  let probe: Probe | null = null
  try {
    const target = await reader.next('ready', childReadyTimeoutMs)
    const { transactions } = await writer.next('ready', childReadyTimeoutMs)
    probe = await Probe.start(server.address(`${docName}-probe`))
    progress(`${server.label}: sending ${fmt(transactions)} transactions`)
    writer.send({ type: 'go' })
    const goAt = epochMs()
    const ended = () => reader.all('done').length > 0 || reader.all('lost').length > 0
    await reader.until(ended, timeoutMs)
    const done = reader.all('done')[0]
    if (done) await sleep(settleMs)
    const probeResult = await probe.stop()
    probe = null

    const sent = writer.all('sent')[0]
    const since = sent?.firstSendAt ?? goAt
    const after = (at: number): string => `${fmt((at - since) / 1000, 1)} s`
    const lost = [
      ...writer.all('lost').map((m) => `writer ${m.reason} at ${after(m.at)}`),
      ...reader.all('lost').map((m) => `reader ${m.reason} at ${after(m.at)}`),
      ...(probeResult.lost === null ? [] : [`probe ${probeResult.lost}`]),
    ]
    const storedRows = server.dbPath === null ? null : countStoredUpdates(server.dbPath, docName)
    const elapsedMs = done ? done.at - since : null
    const failure = done ? null : describeFailure(reader, target, server, timeoutMs, epochMs() - since)
    return {
      server: server.label,
      transactions,
      ingestPerSec: elapsedMs === null ? null : transactions / (elapsedMs / 1000),
      elapsedMs,
      sendMs: sent ? sent.lastSendAt - sent.firstSendAt : null,
      probe: probeResult,
      storedRows,
      lost,
      failure,
    }
  } finally {
    await probe?.stop()
    await Promise.all([writer.stop(), reader.stop()])
  }
}

/** Where the reader got to, in the reader's own terms, and whether the server is still up. */
function describeFailure(
  reader: BenchChild<ReaderMessage>,
  target: Extract<ReaderMessage, { type: 'ready' }>,
  server: BenchServer,
  timeoutMs: number,
  waitedMs: number,
): string {
  const last = reader.all('progress').at(-1)
  const had = last
    ? `the reader had ${fmt(last.clock)} of ${fmt(target.finalClock)} inserted characters, text ${fmt(last.length)} of ${fmt(target.finalLength)} long`
    : 'the reader reported no progress'
  const why = reader.all('lost').length > 0 ? `the reader was disconnected after ${fmt(waitedMs / 1000, 1)} s` : `no final text within ${fmt(timeoutMs / 1000)} s`
  return `${why}; ${had}; server ${server.exitStatus() ?? 'still running'}`
}
