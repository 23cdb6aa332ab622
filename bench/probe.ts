import { type DocAddress, RawClient } from './wire.js'

/** What a probe saw: how long the server took to answer, at worst, and whether it stayed connected. */
export interface ProbeResult {
  samples: number
  /** The longest sync round trip, counting one still unanswered at the end: the server's worst stall as a client feels it. */
  maxRttMs: number
  /** Why the probe's session ended before `stop`, or null. */
  lost: string | null
}

/**
 * A well-behaved client on its own socket that times a sync step 1 -> step 2 round trip every
 * `intervalMs`, one at a time. The answer comes from the server's event loop, so the worst round
 * trip is the longest time the server left its clients waiting, measured from outside the process.
 */
export class Probe {
  private samples = 0
  private maxRttMs = 0
  private pendingSince: number | null = null
  private stopped = false
  private readonly running: Promise<void>

  private constructor(private readonly client: RawClient, private readonly intervalMs: number) {
    this.running = this.loop()
  }

  static async start(address: DocAddress, intervalMs = 10): Promise<Probe> {
    return new Probe(await RawClient.connect(address), intervalMs)
  }

  /** The longest round trip so far, the one in flight included. */
  get worstMs(): number {
    return Math.max(this.maxRttMs, this.pendingSince === null ? 0 : performance.now() - this.pendingSince)
  }

  get lost(): string | null {
    return this.client.lost
  }

  /** Ends sampling and closes the probe's socket. */
  async stop(): Promise<ProbeResult> {
    const result = { samples: this.samples, maxRttMs: this.worstMs, lost: this.client.lost }
    this.stopped = true
    await this.client.close()
    await this.running
    return result
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.client.lost === null) {
      const sentAt = performance.now()
      this.pendingSince = sentAt
      try {
        // No timeout: a server that stalls for a minute should show a one-minute round trip.
        await this.client.sync(null)
      } catch {
        return
      }
      this.pendingSince = null
      this.samples++
      this.maxRttMs = Math.max(this.maxRttMs, performance.now() - sentAt)
      const wait = sentAt + this.intervalMs - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}
