import { type AddressInfo, createServer } from 'node:net'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { closeProviders, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { frame } from '../helpers/frames.js'
import { killGroup, type ServerProcess, ServerProcesses, spawnNpmStart, spawnServer, storedSeqs, syncUrl, tempDir, waitsForSqliteLock } from '../helpers/server.js'

/** y-websocket's sync message carrying one update. */
const syncUpdate = (update: Uint8Array) => frame(0, 2, update)

describe('stopping the server process', () => {
  const processes = new ServerProcesses()
  afterEach(() => processes.cleanup())

  it('stores the updates it applied in the same turn as SIGTERM', async () => {
    const server = await processes.start()
    const pid = server.child.pid!
    const raw = openRaw(`${syncUrl(server)}/notes:same-turn?token=${processes.token}`)
    await raw.opened
    await waitFor('the server to greet the connection', () => raw.frames.length > 0)
    const source = new Y.Doc()
    const updates: Uint8Array[] = []
    source.on('update', (update: Uint8Array) => updates.push(syncUpdate(update)))
    // One struct each, far inside a turn's intake (FOLIO_MAX_STRUCTS_PER_TURN): none of it is held for a later turn.
    const items = Array.from({ length: 200 }, (_, i) => i)
    for (const i of items) source.getArray<number>('items').push([i])
    const send = (update: Uint8Array) => new Promise<void>((resolve, reject) => raw.ws.send(update, (error) => (error ? reject(error) : resolve())))

    // Holding the write lock parks the server's event loop inside the commit of the first update,
    // sleeping in SQLite's busy handler. Meanwhile the burst waits in its socket and SIGTERM's handler
    // marks the signal as arrived. Once the lock is free, the next poll finds both, and libuv runs
    // signal callbacks after the poll's I/O: the burst is applied and SIGTERM handled in one turn,
    // before the end of that turn would have committed the burst.
    const locker = new Database(processes.tmp.dbPath)
    try {
      locker.exec('begin immediate')
      await send(updates[0]!)
      await waitFor('the server to wait for the write lock', () => waitsForSqliteLock(pid, { mainOnly: true }))
      await Promise.all(updates.slice(1).map(send))
      process.kill(pid, 'SIGTERM')
      await new Promise((resolve) => setTimeout(resolve, 50))
      locker.exec('commit')
    } finally {
      locker.close()
    }
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect((await raw.closed).code).toBe(1001)

    const again = await processes.start()
    const reader = await syncedProvider(syncUrl(again), 'notes:same-turn', { params: { token: processes.token } })
    expect(reader.doc.getArray<number>('items').toArray()).toEqual(items)
    closeProviders(reader)
  })

  const stops: [string, (npm: ServerProcess) => void][] = [
    ['SIGTERM to the npm process', (npm) => npm.child.kill('SIGTERM')],
    // A terminal's Ctrl-C signals the whole job, so the server gets SIGINT from it and again from npm.
    ['Ctrl-C (SIGINT to its process group)', (npm) => killGroup(npm.child.pid!, 'SIGINT')],
  ]
  it.each(stops)('started by `npm start`, stores everything, stops and exits 0 on %s while clients write', async (_, stop) => {
    const npm = await processes.start({ FOLIO_LOG_LEVEL: 'info' }, spawnNpmStart)
    const params = { token: processes.token }
    const writer = await syncedProvider(syncUrl(npm), 'notes:npm', { params })
    const watcher = await syncedProvider(syncUrl(npm), 'notes:npm', { params })
    let writing = true
    const loop = (async () => {
      for (let i = 0; writing; i++) {
        writer.doc.getArray<number>('items').push([i])
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })()
    await waitFor('the watcher to get edits', () => watcher.doc.getArray<number>('items').length > 50)

    stop(npm)
    expect(await npm.exited).toEqual({ code: 0, signal: null })
    // What the watcher got came from the server, which broadcasts only what it stored.
    const seen = watcher.doc.getArray<number>('items').toArray()
    writing = false
    await loop
    closeProviders(writer, watcher)
    expect(npm.output).toContain('"event":"server.stopped"')
    // npm exits after its child: nothing may be left serving.
    await expect(fetch(`${npm.url}/health`)).rejects.toThrow()
    const { logged, checkpointed } = storedSeqs(processes.tmp.dbPath, 'notes:npm')
    expect(checkpointed).toBe(logged)

    const again = await processes.start()
    const reader = await syncedProvider(syncUrl(again), 'notes:npm', { params })
    expect(reader.doc.getArray<number>('items').toArray().slice(0, seen.length)).toEqual(seen)
    closeProviders(reader)
  })
})

describe('starting the server process', () => {
  it('prints one line and exits 1 when the port is in use', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    const tmp = tempDir()
    try {
      await expect(spawnServer(tmp.dbPath, { PORT: String(port) })).rejects.toThrow(
        new Error(`server exited with 1 before listening:\nFolio cannot start: port ${port} on 127.0.0.1 is in use; set PORT to another port\n`),
      )
    } finally {
      taken.close()
      tmp.remove()
    }
  })
})
