import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { closeProviders, openProvider, syncedProvider, waitFor } from '../helpers/clients.js'
import { ServerProcesses, storedSeqs, syncUrl } from '../helpers/server.js'

describe('a server process that dies or is stopped', () => {
  const processes = new ServerProcesses()
  afterEach(() => processes.cleanup())

  it('keeps, after SIGKILL, every update any client had received from the server', async () => {
    const first = await processes.start()
    const writers = await Promise.all(['A', 'B'].map(() => syncedProvider(syncUrl(first), 'notes:crash', { params: { token: processes.token } })))
    const names = ['A', 'B']
    let writing = true
    const loops = writers.map(async (provider, w) => {
      const items = provider.doc.getArray<string>('items')
      for (let i = 0; writing; i++) {
        items.push([`${names[w]}-${i}`])
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })
    await waitFor('both clients to see each other', () =>
      writers.every((p, w) => p.doc.getArray<string>('items').toArray().filter((x) => !x.startsWith(names[w]!)).length > 50),
    )

    first.child.kill('SIGKILL')
    // What each client holds from the *other* client can only have come from the server.
    const received = writers.map((p, w) =>
      p.doc.getArray<string>('items').toArray().filter((item) => !item.startsWith(names[w]!)),
    )
    writing = false
    // Destroyed before the restart, so they cannot re-upload what the server lost.
    closeProviders(...writers)
    await Promise.all(loops)
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })

    const second = await processes.start()
    const reader = await syncedProvider(syncUrl(second), 'notes:crash', { params: { token: processes.token } })
    const stored = new Set(reader.doc.getArray<string>('items').toArray())
    const missing = received.flat().filter((item) => !stored.has(item))
    expect(received.flat().length).toBeGreaterThan(100)
    expect(missing).toEqual([])
    closeProviders(reader)
  })

  it('stores everything, closes clients with 1001 and exits 0 on SIGTERM', async () => {
    const server = await processes.start()
    const writer: WebsocketProvider = await syncedProvider(syncUrl(server), 'notes:term', { params: { token: processes.token } })
    const watcher = await syncedProvider(syncUrl(server), 'notes:term', { params: { token: processes.token } })
    const watcherClosed = new Promise<number | undefined>((resolve) => watcher.once('connection-close', (event) => resolve(event?.code)))
    const text = writer.doc.getText('content')
    for (let i = 0; i < 100; i++) text.insert(text.length, 'x')
    // The server broadcasts only what it stored: once the watcher has every edit, nothing is pending.
    await waitFor('the watcher to get every edit', () => watcher.doc.getText('content').length === 100)

    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(await watcherClosed).toBe(1001)
    closeProviders(writer, watcher)

    const { logged, checkpointed } = storedSeqs(processes.tmp.dbPath, 'notes:term')
    expect(checkpointed).toBe(logged)

    const again = await processes.start()
    const reader = openProvider(syncUrl(again), 'notes:term', { params: { token: processes.token } })
    await waitFor('the reader to sync', () => reader.synced)
    expect(reader.doc.getText('content').toString()).toBe('x'.repeat(100))
    closeProviders(reader)
  })
})
