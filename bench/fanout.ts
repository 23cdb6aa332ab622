import { typingFrames } from './edits.js'
import type { BenchServer } from './servers.js'
import { openFanoutSession } from './session.js'
import { median, quantile } from './stats.js'

export const fanoutReaders = 50
const sendTickMs = 5
const drainTimeoutMs = 30_000

export interface LatencyResult {
  rate: number
  edits: number
  p50Ms: number
  p99Ms: number
}

/** The median of several runs' p50 and p99, and the spread of p99 across them. */
export interface RepeatedLatencyResult extends LatencyResult {
  runs: number
  p99MinMs: number
  p99MaxMs: number
}

/**
 * `runs` runs of `measureFanoutLatency`, each on a fresh doc from `freshDoc`. A p99 of one 5 s run
 * rests on a few dozen edits and swings with one GC pause or disk flush; the median run does not.
 */
export async function repeatedFanoutLatency(
  server: BenchServer,
  freshDoc: () => string,
  rate: number,
  seconds: number,
  runs: number,
): Promise<RepeatedLatencyResult> {
  const results: LatencyResult[] = []
  for (let run = 0; run < runs; run++) results.push(await measureFanoutLatency(server, freshDoc(), rate, seconds))
  const p99s = results.map((result) => result.p99Ms)
  return {
    rate,
    edits: results[0]?.edits ?? 0,
    runs,
    p50Ms: median(results.map((result) => result.p50Ms)),
    p99Ms: median(p99s),
    p99MinMs: Math.min(...p99s),
    p99MaxMs: Math.max(...p99s),
  }
}

/**
 * Sends `rate` edits/s for `seconds` on a fresh doc and measures, per edit, the time from its
 * send to the moment the last of the readers has it.
 */
export async function measureFanoutLatency(server: BenchServer, docName: string, rate: number, seconds: number): Promise<LatencyResult> {
  const edits = Math.round(rate * seconds)
  const frames = typingFrames(edits)
  const session = await openFanoutSession(server, docName, fanoutReaders, edits)
  const sentAt = new Float64Array(edits)
  try {
    await new Promise<void>((resolve, reject) => {
      let sent = 0
      const start = performance.now()
      // Timers fire late under load, so each tick sends whatever the elapsed time says is due.
      const timer = setInterval(() => {
        try {
          const now = performance.now()
          const due = Math.min(edits, Math.floor(((now - start) / 1000) * rate))
          for (; sent < due; sent++) {
            sentAt[sent] = now
            session.writer.send(frames[sent] as Uint8Array)
          }
          if (sent === edits) {
            clearInterval(timer)
            resolve()
          }
        } catch (error) {
          clearInterval(timer)
          reject(error)
        }
      }, sendTickMs)
    })
    await session.tracker.whenAllDelivered(drainTimeoutMs)
  } finally {
    await session.close()
  }
  const latencies = session.tracker.lastArrival.map((arrived, k) => arrived - (sentAt[k] as number))
  return { rate, edits, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) }
}
