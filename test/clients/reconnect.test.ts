import WebSocket from 'ws'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioClient, Row } from '../../clients/index.js'
import { type Harness, recorder, startHarness, waitFor } from './harness.js'

async function writeDocument(client: FolioClient, data: Record<string, unknown>): Promise<number> {
  return (await client.rpc('appDataUpdate', { table: 'document', data })) as number
}

const names = (rows: Row[] | undefined) => (rows ?? []).map((row) => row.name).sort()

/** A `ws` WebSocket whose connections can be held back, to keep a client offline for a while. */
function gatedWebSocket() {
  const gate = { closed: false, attempts: 0 }
  class GatedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      gate.attempts++
      // Port 1 on loopback refuses the connection, as a server that is down would.
      super(gate.closed ? 'ws://127.0.0.1:1/events' : url, protocols)
    }
  }
  return { gate, GatedWebSocket }
}

describe('client SDK: subscriptions survive reconnects', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  it('restores every subscription when the client drops its socket', async () => {
    const admin = await h.admin()
    const writer = await h.user('walt')
    const reader = await h.user('rosa')
    await writeDocument(writer, { name: 'public one', public: true })
    const connected = recorder<unknown>()
    reader.on('connected', connected.cb)
    const documents = recorder<Row[]>()
    const roles = recorder<Row[]>()
    await reader.subscribe('document', undefined, documents.cb).ready
    await reader.subscribe('user_role', undefined, roles.cb).ready
    expect(names(documents.last)).toEqual(['public one'])

    reader.reconnect()
    await waitFor('the reconnect', () => connected.calls.length === 1 && reader.connected)
    await writeDocument(writer, { name: 'public two', public: true })
    await admin.rpc('appDataUpdate', { table: 'user_role', data: { name: 'reviewer' } })
    await waitFor('a push on the restored document subscription', () => names(documents.last).includes('public two'))
    await waitFor('a push on the restored role subscription', () => names(roles.last).includes('reviewer'))
    expect(names(documents.last)).toEqual(['public one', 'public two'])
  })

  it('resynchronises the stores: rows deleted or created while offline are dropped or added', async () => {
    const { gate, GatedWebSocket } = gatedWebSocket()
    const writer = await h.user('wes')
    const reader = await h.user('ria', { WebSocket: GatedWebSocket })
    const keep = await writeDocument(writer, { name: 'keep', public: true })
    const drop = await writeDocument(writer, { name: 'drop', public: true })
    const rows = recorder<Row[]>()
    await reader.subscribe('document', undefined, rows.cb).ready
    expect(names(rows.last)).toEqual(['drop', 'keep'])

    const disconnected = recorder<{ willRetry: boolean }>()
    reader.on('disconnected', disconnected.cb)
    gate.closed = true
    reader.reconnect()
    await waitFor('the disconnect', () => disconnected.calls.length === 1)
    expect(disconnected.last!.willRetry).toBe(true)
    const attempts = gate.attempts
    await waitFor('failed reconnect attempts', () => gate.attempts >= attempts + 2)
    expect(reader.connected).toBe(false)

    await writeDocument(writer, { id: drop, deleted: true })
    await writeDocument(writer, { id: keep, name: 'kept' })
    await writeDocument(writer, { name: 'new', public: true })
    expect(names(rows.last)).toEqual(['drop', 'keep'])

    gate.closed = false
    await waitFor('the resynchronised rows', () => names(rows.last).join() === 'kept,new', 5_000)
    expect(reader.connected).toBe(true)
  })

  it('reconnects on its own and restores subscriptions when the server restarts on the same port', async () => {
    const writer = await h.user('wolf')
    const reader = await h.user('rex')
    const rows = recorder<Row[]>()
    await reader.subscribe('document', [{ key: 'public', value: true }], rows.cb).ready
    const connected = recorder<unknown>()
    reader.on('connected', connected.cb)

    await h.restart()
    await waitFor('the reconnect', () => connected.calls.length >= 1 && reader.connected && writer.connected, 10_000)
    // Tokens live in the database, so both sessions survive the restart.
    await writeDocument(writer, { name: 'after restart', public: true })
    await writeDocument(writer, { name: 'private', public: false })
    await waitFor('the push after the restart', () => names(rows.last).includes('after restart'))
    expect(names(rows.last)).toEqual(['after restart'])
  })

  it('restores subscriptions after logging in again, and clears rows on logout', async () => {
    const client = await h.user('lou')
    const rows = recorder<Row[]>()
    await client.subscribe('document', undefined, rows.cb).ready
    await writeDocument(client, { name: 'mine', public: false })
    await waitFor('the row', () => rows.last?.length === 1)

    await client.logout()
    expect(rows.last).toEqual([])
    await client.login('lou', 'lou-password')
    await waitFor('the snapshot of the new session', () => names(rows.last).includes('mine'))
    await writeDocument(client, { name: 'second', public: false })
    await waitFor('a live push of the new session', () => rows.last?.length === 2)
  })
})
