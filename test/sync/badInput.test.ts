import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { frame } from '../helpers/frames.js'
import { closeProviders, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

const maxMessageBytes = 64 * 1024

describe('bad input closes only the offending connection', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let bystander: WebsocketProvider
  let token: string

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_MAX_MESSAGE_BYTES: String(maxMessageBytes) })
    token = await login(server.url, 'admin', adminPassword)
    bystander = await syncedProvider(syncUrl(server), 'notes:shared', { params: { token } })
    bystander.doc.getText('content').insert(0, 'stored before the attack')
    await waitFor('the edit to be stored', () => storedRows() === 1)
  })
  afterEach(async () => {
    closeProviders(bystander)
    await server.close()
    tmp.remove()
  })

  function storedRows(): number {
    const db = new Database(tmp.dbPath, { readonly: true })
    try {
      return (db.prepare('select count(*) as n from doc_update').get() as { n: number }).n
    } finally {
      db.close()
    }
  }

  /** Sends `payload` on a fresh connection to the shared doc and returns how the server closed it. */
  async function sendAndExpectClose(payload: Uint8Array | string, docName = 'notes:shared') {
    const raw = openRaw(`${syncUrl(server)}/${encodeURIComponent(docName)}?token=${token}`)
    await raw.opened
    raw.ws.send(payload)
    return raw.closed
  }

  /** The server is up, the other client still syncs both ways, and stored data is intact. */
  async function expectUnharmed() {
    const other = await syncedProvider(syncUrl(server), 'notes:shared', { params: { token } })
    expect(other.doc.getText('content').toString()).toBe('stored before the attack')
    other.doc.getText('content').insert(0, '+')
    await waitFor('the bystander to keep syncing', () => bystander.doc.getText('content').toString() === '+stored before the attack')
    await waitFor('the new edit to be stored', () => storedRows() === 2)
    closeProviders(other)
  }

  it('truncated frame', async () => {
    // A sync update that announces 200 bytes and carries 3.
    const { code, reason } = await sendAndExpectClose(new Uint8Array([0, 2, 200, 1, 1, 1]))
    expect(code).toBe(1002)
    expect(reason).toMatch(/truncated or garbage/)
    await expectUnharmed()
  })

  it('garbage frame', async () => {
    const garbage = new Uint8Array(512).map((_, i) => (i * 7919 + 13) % 256)
    const { code, reason } = await sendAndExpectClose(garbage)
    expect([1002, 1003, 1007]).toContain(code)
    expect(reason.length).toBeGreaterThan(0)
    await expectUnharmed()
  })

  it('unknown message type', async () => {
    const { code, reason } = await sendAndExpectClose(frame(42))
    expect(code).toBe(1003)
    expect(reason).toBe('unknown message type 42')
    await expectUnharmed()
  })

  it('unknown sync message type', async () => {
    const { code, reason } = await sendAndExpectClose(frame(0, 9, new Uint8Array([0])))
    expect(code).toBe(1003)
    expect(reason).toBe('unknown sync message type 9')
    await expectUnharmed()
  })

  it('sync update that Yjs cannot decode', async () => {
    // Well-framed, but the update claims one client with 5 structs and then ends.
    const { code, reason } = await sendAndExpectClose(frame(0, 2, new Uint8Array([1, 5, 7, 0])))
    expect(code).toBe(1007)
    expect(reason).toMatch(/Yjs cannot decode/)
    await expectUnharmed()
  })

  it('awareness update that cannot be decoded', async () => {
    const notJson = new Uint8Array([1, 7, 1, 5, ...new TextEncoder().encode('{oops')])
    const { code, reason } = await sendAndExpectClose(frame(1, notJson))
    expect(code).toBe(1007)
    expect(reason).toMatch(/awareness/)
    await expectUnharmed()
  })

  it('text frame', async () => {
    const { code, reason } = await sendAndExpectClose('{"hello":"world"}')
    expect(code).toBe(1003)
    expect(reason).toMatch(/binary/)
    await expectUnharmed()
  })

  it('frame over the size limit', async () => {
    const huge = frame(0, 2, new Uint8Array(maxMessageBytes + 1))
    const { code, reason } = await sendAndExpectClose(huge)
    expect(code).toBe(1009)
    expect(reason).toBe(`message larger than the limit of ${maxMessageBytes} bytes`)
    await expectUnharmed()
  })

  it.each([
    ['an empty name', ''],
    ['a path', 'a/b'],
    ['spaces and quotes', 'doc "x"'],
    ['an empty segment', 'notes::1'],
    ['an overlong name', 'd'.repeat(201)],
  ])('document name outside the allowed pattern: %s', async (_label, name) => {
    const raw = openRaw(`${syncUrl(server)}/${encodeURIComponent(name)}?token=${token}`)
    const { code, reason } = await raw.closed
    expect(code).toBe(4400)
    expect(reason).toMatch(/invalid document name/)
    await expectUnharmed()
  })

  it('malformed percent-encoding in the document name', async () => {
    const raw = openRaw(`${syncUrl(server)}/%E0%A4%A?token=${token}`)
    expect((await raw.closed).code).toBe(4400)
    await expectUnharmed()
  })
})
