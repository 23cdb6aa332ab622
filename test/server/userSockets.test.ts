import { describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { EventsConnection } from '../helpers/events.js'
import { createRoom } from '../helpers/rooms.js'
import { syncUrl, withServer } from '../helpers/server.js'
import { SignalingClient } from '../helpers/signaling.js'

const limits = { FOLIO_MAX_SOCKETS_PER_USER: '3', FOLIO_MAX_DOCS_PER_USER: '2' }

/** How a sync socket of `token` on `docName` closes. */
const syncClose = (server: FolioServer, docName: string, token: string) => openRaw(`${syncUrl(server)}/${docName}?token=${token}`).closed

describe('sockets and documents per account', () => {
  it('refuses a document past the limit with 4429, counts a second socket on an open document as a socket only, and frees both on close', async () => {
    await withServer(limits, async (server) => {
      const token = await login(server.url, 'admin', adminPassword)
      const bob = await registerAndLogin(server.url, 'bob')
      const first = await syncedProvider(syncUrl(server), 'notes-a', { params: { token } })
      const second = await syncedProvider(syncUrl(server), 'notes-b', { params: { token } })
      expect(await syncClose(server, 'notes-c', token)).toEqual({ code: 4429, reason: 'too many documents open: at most 2 per account' })
      // Another tab on a document already open needs no new document, only a socket.
      const again = await syncedProvider(syncUrl(server), 'notes-a', { params: { token } })
      expect(await syncClose(server, 'notes-a', token)).toEqual({ code: 4429, reason: 'too many connections: at most 3 open websockets per account' })
      // Limits are per account: bob opens the document the admin could not.
      const bobs = await syncedProvider(syncUrl(server), 'notes-c', { params: { token: bob.token } })

      closeProviders(second)
      await waitFor('the closed socket to be released', () => server.engine.connectionCount === 3)
      const third = await syncedProvider(syncUrl(server), 'notes-c', { params: { token } })
      closeProviders(first, again, third, bobs)
    })
  })

  it('counts the sync, events and signaling sockets of an account together', async () => {
    await withServer(limits, async (server) => {
      const token = await login(server.url, 'admin', adminPassword)
      const roomId = (await createRoom(server.url, token)).id
      const events = await EventsConnection.open(server, token)
      const signaling = new SignalingClient(server.url, roomId, token)
      await signaling.join('Alice')
      const doc = await syncedProvider(syncUrl(server), 'notes-a', { params: { token } })

      const refusal = { code: 4429, reason: 'too many connections: at most 3 open websockets per account' }
      expect(await openRaw(`${server.url.replace(/^http/, 'ws')}/events?token=${token}`).closed).toEqual(refusal)
      expect(await new SignalingClient(server.url, roomId, token).closed).toEqual(refusal)
      expect(await syncClose(server, 'notes-b', token)).toEqual(refusal)
      // The sockets let in still work.
      expect(await events.ok('appInit')).toBeDefined()

      // A socket closed on one endpoint frees a place on another.
      closeProviders(doc)
      await waitFor('the sync socket to be released', () => server.engine.connectionCount === 0)
      const replacement = await EventsConnection.open(server, token)
      expect(await replacement.ok('appInit')).toBeDefined()
      for (const connection of [events, replacement]) connection.ws.close()
      signaling.close()
    })
  })
})
