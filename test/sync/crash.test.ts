import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { adminPassword, login } from '../helpers/accounts.js'
import { closeProviders, openProvider, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { type ServerProcess, spawnServer, tempDir } from '../helpers/server.js'

const wsUrl = (server: ServerProcess) => `${server.url.replace(/^http/, 'ws')}/sync`

describe('a server process that dies or is stopped', () => {
  let tmp: ReturnType<typeof tempDir>
  const running: ServerProcess[] = []
  let token = ''

  async function spawn(): Promise<ServerProcess> {
    const server = await spawnServer(tmp.dbPath)
    running.push(server)
    token ||= await login(server.url, 'admin', adminPassword)
    return server
  }

  beforeEach(() => {
    tmp = tempDir()
    token = ''
  })
  afterEach(async () => {
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL')
        await server.exited
      }
    }
    tmp.remove()
  })

  it('keeps, after SIGKILL, every update any client had received from the server', async () => {
    const first = await spawn()
    const writers = await Promise.all(['A', 'B'].map(() => syncedProvider(wsUrl(first), 'notes:crash', { params: { token } })))
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

    const second = await spawn()
    const reader = await syncedProvider(wsUrl(second), 'notes:crash', { params: { token } })
    const stored = new Set(reader.doc.getArray<string>('items').toArray())
    const missing = received.flat().filter((item) => !stored.has(item))
    expect(received.flat().length).toBeGreaterThan(100)
    expect(missing).toEqual([])
    closeProviders(reader)
  })

  it('stores everything, closes clients with 1001 and exits 0 on SIGTERM', async () => {
    const server = await spawn()
    const writer: WebsocketProvider = await syncedProvider(wsUrl(server), 'notes:term', { params: { token } })
    const watcher = openRaw(`${wsUrl(server)}/notes:term?token=${token}`)
    await watcher.opened
    const text = writer.doc.getText('content')
    for (let i = 0; i < 100; i++) text.insert(text.length, 'x')
    await waitFor('the watcher to get every edit', () => watcher.frames.length > 2)
    await new Promise((resolve) => setTimeout(resolve, 50))

    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect((await watcher.closed).code).toBe(1001)
    writer.shouldConnect = false
    closeProviders(writer)

    const db = new Database(tmp.dbPath, { readonly: true })
    const last = db.prepare("select max(seq) as seq from doc_update where doc_id = 'notes:term'").get() as { seq: number }
    const checkpoint = db.prepare("select max(seq) as seq from doc_checkpoint where doc_id = 'notes:term'").get() as { seq: number }
    db.close()
    expect(checkpoint.seq).toBe(last.seq)

    const again = await spawn()
    const reader = openProvider(wsUrl(again), 'notes:term', { params: { token } })
    await waitFor('the reader to sync', () => reader.synced)
    expect(reader.doc.getText('content').toString()).toBe('x'.repeat(100))
    closeProviders(reader)
  })
})
