import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Harness, startHarness, waitFor } from './harness.js'

describe('client SDK: openDoc', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  it('syncs a Yjs doc between two clients through the server', async () => {
    const alice = await h.user('alice')
    const bob = await h.user('bob')
    // BroadcastChannel off: in one process it would sync the docs without the server.
    const a = alice.openDoc('notes:sdk', { disableBc: true })
    const bDoc = new Y.Doc()
    const b = bob.openDoc('notes:sdk', { doc: bDoc, disableBc: true })
    expect(b.doc).toBe(bDoc)
    expect(a.provider.url).toBe(`${h.server.url.replace(/^http/, 'ws')}/sync/notes:sdk?token=${alice.token}`)
    await waitFor('both providers to sync', () => a.provider.synced && b.provider.synced)

    a.doc.getText('content').insert(0, 'hello from alice')
    await waitFor('bob to see the edit', () => b.doc.getText('content').toString() === 'hello from alice')
    b.doc.getText('content').insert(0, '> ')
    await waitFor('alice to see the edit', () => a.doc.getText('content').toString() === '> hello from alice')

    // A late joiner gets the stored state.
    const c = alice.openDoc('notes:sdk', { disableBc: true })
    await waitFor('the late joiner to sync', () => c.provider.synced)
    expect(c.doc.getText('content').toString()).toBe('> hello from alice')
  })

  it('sends no token when signed out, so the server refuses the doc', async () => {
    const client = h.client()
    const { provider } = client.openDoc('notes:sdk', { disableBc: true })
    const codes: number[] = []
    provider.on('connection-close', (event) => void codes.push(event?.code ?? 0))
    await waitFor('the refusal', () => codes.length > 0)
    expect(codes[0]).toBe(4403)
    expect(provider.synced).toBe(false)
  })

  it('destroys the providers of the session on logout and uses the new token after login', async () => {
    const client = await h.user('carl')
    const first = client.openDoc('notes:carl', { disableBc: true })
    await waitFor('sync', () => first.provider.synced)
    first.doc.getText('content').insert(0, 'kept')
    // Signing in again while signed in points open providers at the new token.
    const oldToken = client.token
    await client.login('carl', 'carl-password')
    expect(client.token).not.toBe(oldToken)
    expect(first.provider.params.token).toBe(client.token)

    await client.logout()
    expect(first.provider.wsconnected).toBe(false)
    expect(first.provider.shouldConnect).toBe(false)

    await client.login('carl', 'carl-password')
    const second = client.openDoc('notes:carl', { disableBc: true })
    expect(second.provider.params.token).toBe(client.token)
    await waitFor('sync after the new login', () => second.provider.synced)
    expect(second.doc.getText('content').toString()).toBe('kept')

    // Destroying the doc stops its provider.
    second.doc.destroy()
    expect(second.provider.shouldConnect).toBe(false)
  })
})
