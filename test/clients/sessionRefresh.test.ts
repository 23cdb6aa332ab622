import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Harness, startHarness, waitFor } from './harness.js'

const tokenLifeSeconds = 5
const editingMs = 30_000

// Tokens live 5 s here and the server re-checks open sockets every second, so a session the client
// did not keep alive would be closed (4401) within the first seconds.
describe('client SDK: sessions that last', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ FOLIO_TOKEN_TTL_SECONDS: String(tokenLifeSeconds), FOLIO_ACCESS_RECHECK_SECONDS: '1' })
  })
  afterEach(() => h.stop())

  it('refreshes the token before it expires: the events socket and a doc stay connected over 30 s of edits', async () => {
    const client = await h.admin()
    const disconnects: unknown[] = []
    client.on('disconnected', (info) => disconnects.push(info))
    client.on('unauthenticated', (info) => disconnects.push(info))
    const { doc, provider, onAccessChange } = client.openDoc('notes:long-session', { disableBc: true })
    const accessChanges: unknown[] = []
    onAccessChange((change) => accessChanges.push(change))
    await waitFor('the doc to sync', () => provider.synced)
    const closes: unknown[] = []
    provider.on('connection-close', (event: unknown) => closes.push(event))

    const text = doc.getText('t')
    const started = Date.now()
    let edits = 0
    while (Date.now() - started < editingMs) {
      text.insert(text.length, 'x')
      edits++
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    await waitFor('every edit on the server', () => h.server.engine.read('notes:long-session', (served) => served.getText('t').length) === edits, 10_000)
    expect({ disconnects, closes: closes.length, accessChanges }).toEqual({ disconnects: [], closes: 0, accessChanges: [] })
    expect(client.connected).toBe(true)
    // The calls still go through with the same token, 6 token lifetimes after login.
    expect(await client.check()).toMatchObject({ userName: 'admin' })
  }, editingMs + 30_000)
})
