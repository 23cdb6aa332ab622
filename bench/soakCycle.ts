import { setTimeout as sleep } from 'node:timers/promises'
import type { WebsocketProvider } from 'y-websocket'
import { adminPassword, login } from '../test/helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../test/helpers/clients.js'
import { type ServerProcess, spawnServer, syncUrl } from '../test/helpers/server.js'

/** Stock clients writing at once; each one's view of the others' items can only come through the server. */
const writerCount = 3
/** The kill lands this long (uniformly random) after every writer has seen every other one. */
const killWindowMs: readonly [number, number] = [100, 1_500]
const docName = 'soak:doc'
const stopTimeoutMs = 10_000

export interface CycleResult {
  cycle: number
  /** Items of this cycle that some writer had received from another writer when the server died. */
  seen: number
  /** Items any writer had received from the server (this cycle's or older) that the restarted server does not have. */
  lost: string[]
  killAfterMs: number
}

/**
 * The crash soak of bench/soak.ts and test/sync/soak.test.ts: a Folio server process on one
 * database, SIGKILLed under write load and restarted, once per cycle. The doc keeps growing across
 * cycles, so restarts load checkpoints with log tails of every length behind them.
 */
export class Soak {
  private constructor(
    private readonly dbPath: string,
    private server: ServerProcess,
  ) {}

  static async start(dbPath: string): Promise<Soak> {
    return new Soak(dbPath, await spawnServer(dbPath))
  }

  /**
   * One cycle: stock WebsocketProviders push uniquely named items as fast as timers let them; at a
   * random moment the server is SIGKILLed; once every socket is closed (so everything the server
   * sent has been read), each writer's items from the others and from earlier cycles are what it
   * saw from the server. The writers are destroyed before the restart, so none can upload again
   * what the server lost; a fresh client of the restarted server must then have every seen item.
   */
  async cycle(cycle: number): Promise<CycleResult> {
    const token = await login(this.server.url, 'admin', adminPassword)
    const writers = await Promise.all(Array.from({ length: writerCount }, () => syncedProvider(syncUrl(this.server), docName, { params: { token } })))
    const prefix = (writer: number): string => `${cycle}:${writer}:`
    const killAfterMs = killWindowMs[0] + Math.random() * (killWindowMs[1] - killWindowMs[0])
    const seenNow = new Set<string>()
    let writing = true
    const loops = writers.map(async (provider, writer) => {
      const items = provider.doc.getArray<string>('items')
      for (let i = 0; writing; i++) {
        items.push([`${prefix(writer)}${i}`])
        await sleep(1)
      }
    })
    try {
      // New items go to the end, so the tail of the array tells whether the others' writes arrive.
      const tail = (provider: WebsocketProvider): string[] => {
        const items = provider.doc.getArray<string>('items')
        return items.slice(Math.max(0, items.length - 200))
      }
      await waitFor('every writer to see every other writer', () => writers.every((provider) => writers.every((_, other) => tail(provider).some((item) => item.startsWith(prefix(other))))), 10_000)
      await sleep(killAfterMs)
      this.server.child.kill('SIGKILL')
      await this.server.exited
      writing = false
      await waitFor('every writer to notice the server is gone', () => writers.every((provider) => !provider.wsconnected))
      writers.forEach((provider, writer) => {
        for (const item of provider.doc.getArray<string>('items').toArray()) if (!item.startsWith(prefix(writer))) seenNow.add(item)
      })
    } finally {
      writing = false
      await Promise.all(loops)
      // Destroyed before the restart, so that none can upload again what the server lost.
      closeProviders(...writers)
    }

    this.server = await spawnServer(this.dbPath)
    const reader = await syncedProvider(syncUrl(this.server), docName, { params: { token: await login(this.server.url, 'admin', adminPassword) } })
    const stored = new Set(reader.doc.getArray<string>('items').toArray())
    closeProviders(reader)
    return {
      cycle,
      seen: [...seenNow].filter((item) => item.startsWith(`${cycle}:`)).length,
      lost: [...seenNow].filter((item) => !stored.has(item)),
      killAfterMs,
    }
  }

  /** Stops the server with SIGTERM, as an operator would; SIGKILL if it does not exit, so that cleanup cannot hang. */
  async stop(): Promise<void> {
    const { child, exited } = this.server
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
    await exited
    clearTimeout(timer)
  }
}
