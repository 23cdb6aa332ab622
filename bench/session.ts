import * as Y from 'yjs'
import { writerClientId } from './edits.js'
import type { BenchServer } from './servers.js'
import { RawClient } from './wire.js'

/**
 * When each writer edit reached every reader. Readers receive edits in order, so the edits all
 * readers have form a prefix; `delivered` is its length.
 */
export class DeliveryTracker {
  /** Time (performance.now) at which the last reader received edit k. */
  readonly lastArrival: Float64Array
  delivered = 0
  private readonly readerCount: Uint16Array
  private readonly readerClocks: number[]
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly edits: number,
    private readonly readers: number,
  ) {
    this.lastArrival = new Float64Array(edits)
    this.readerCount = new Uint16Array(edits)
    this.readerClocks = new Array<number>(readers).fill(0)
  }

  /** Reader `reader` now has the writer's edits up to (excluding) `clock`. */
  advance(reader: number, clock: number, now: number): void {
    const from = this.readerClocks[reader] ?? 0
    if (clock <= from) return
    this.readerClocks[reader] = clock
    const before = this.delivered
    for (let k = from; k < Math.min(clock, this.edits); k++) {
      this.lastArrival[k] = now
      const count = (this.readerCount[k] ?? 0) + 1
      this.readerCount[k] = count
      if (count === this.readers) this.delivered = k + 1
    }
    if (this.delivered > before) for (const listener of this.listeners) listener()
  }

  /** Calls `listener` whenever `delivered` grows; returns the unsubscribe. */
  onProgress(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves when all edits reached all readers; rejects after `timeoutMs`, saying how far it got. */
  whenAllDelivered(timeoutMs: number): Promise<void> {
    if (this.delivered === this.edits) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe()
        reject(new Error(`only ${this.delivered} of ${this.edits} edits reached all ${this.readers} readers within ${timeoutMs} ms`))
      }, timeoutMs)
      const unsubscribe = this.onProgress(() => {
        if (this.delivered < this.edits) return
        clearTimeout(timer)
        unsubscribe()
        resolve()
      })
    })
  }
}

/** One writer and `readers` raw readers on a fresh document, with delivery tracked per edit. */
export interface FanoutSession {
  writer: RawClient
  tracker: DeliveryTracker
  close(): Promise<void>
}

export async function openFanoutSession(server: BenchServer, docName: string, readers: number, edits: number): Promise<FanoutSession> {
  const tracker = new DeliveryTracker(edits, readers)
  const address = server.address(docName)
  const readerClients = await Promise.all(
    Array.from({ length: readers }, (_, reader) =>
      RawClient.connect(address, (update) => {
        // Reading the clock range from the update's metadata avoids integrating it into a Y.Doc.
        const clock = Y.parseUpdateMeta(update).to.get(writerClientId)
        if (clock !== undefined) tracker.advance(reader, clock, performance.now())
      }),
    ),
  )
  const writer = await RawClient.connect(address)
  return {
    writer,
    tracker,
    async close() {
      await Promise.all([writer, ...readerClients].map((client) => client.close()))
    },
  }
}
