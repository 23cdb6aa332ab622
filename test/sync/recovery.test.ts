import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { ServerProcesses, storedSeqs, syncUrl } from '../helpers/server.js'

const checkpointEvery = 20
const docName = 'notes:recovery'

describe('loading a document after a crash', () => {
  const processes = new ServerProcesses()
  afterEach(() => processes.cleanup())

  /** Pushes `count` items, one update each, and waits until `watcher` has them: the server broadcasts only what it stored. */
  async function write(writer: WebsocketProvider, watcher: WebsocketProvider, from: number, count: number): Promise<void> {
    const items = writer.doc.getArray<number>('items')
    for (let i = from; i < from + count; i++) items.push([i])
    await waitFor(`the watcher to get item ${from + count - 1}`, () => watcher.doc.getArray<number>('items').length === from + count)
  }

  it('is its latest checkpoint plus every update logged after it, after SIGKILL', async () => {
    const first = await processes.start({ FOLIO_CHECKPOINT_EVERY_UPDATES: String(checkpointEvery) })
    const params = { token: processes.token }
    const writer = await syncedProvider(syncUrl(first), docName, { params })
    const watcher = await syncedProvider(syncUrl(first), docName, { params })

    // Past the interval a checkpoint is written; fewer updates than the interval then stay in the tail.
    await write(writer, watcher, 0, checkpointEvery + 10)
    await waitFor('a checkpoint', () => storedSeqs(processes.tmp.dbPath, docName).checkpointed !== null)
    await write(writer, watcher, checkpointEvery + 10, 5)
    const total = checkpointEvery + 15
    const { logged, checkpointed } = storedSeqs(processes.tmp.dbPath, docName)
    expect(checkpointed).toBeLessThan(logged!)

    // Killed while both clients are connected: the doc is never unloaded, so no checkpoint covers the tail.
    first.child.kill('SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    // Destroyed before the restart, so they cannot upload again what the server lost.
    closeProviders(writer, watcher)
    expect(storedSeqs(processes.tmp.dbPath, docName)).toEqual({ logged, checkpointed })

    // A new process: nothing is loaded, the reader's doc comes from the database alone.
    const second = await processes.start()
    const reader = await syncedProvider(syncUrl(second), docName, { params })
    expect(reader.doc.getArray<number>('items').toArray()).toEqual(Array.from({ length: total }, (_, i) => i))
    closeProviders(reader)
  })
})
