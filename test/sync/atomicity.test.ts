import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { FolioServer } from '../../server/index.js'
import { encodeSyncUpdate } from '../../sync/index.js'
import { closeProviders, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { startServerWithUsers } from '../helpers/rooms.js'
import { storedSeqs, syncUrl } from '../helpers/server.js'

/**
 * Updates that Yjs decodes but throws on part-way through applying, both from Yjs client 2 on an
 * empty document. Applied to a bare Y.Doc, each leaves its first struct in the doc.
 */
const halfApplying = {
  /** 'x' into the root text `content`, then 'y' whose origin is (2, 5): past its own clock 1. */
  originPastOwnClock: Uint8Array.from(Buffer.from('01020200040107636f6e74656e740178840205017900', 'hex')),
  /** A deleted entry of the root map `m`, then a GC struct (found by fuzzing: refused only by Yjs itself). */
  deletedEntryThenGc: Uint8Array.from(Buffer.from('010202002101016d02070001000000', 'hex')),
}

describe('an update that fails part-way', () => {
  let server: FolioServer
  let dbPath: string
  let token: string
  let stop: () => Promise<void>

  beforeAll(async () => {
    ;({ server, dbPath, adminToken: token, stop } = await startServerWithUsers([]))
  })
  afterAll(() => stop())

  for (const [name, update] of Object.entries(halfApplying)) {
    it(`leaves no trace in the live doc, the log or any broadcast: ${name}`, async () => {
      const bare = new Y.Doc()
      expect(() => Y.applyUpdate(bare, update)).toThrow()
      expect(Y.getState(bare.store, 2)).toBeGreaterThan(0)

      const docName = `notes:atomic-${name}`
      const reader = await syncedProvider(syncUrl(server), docName, { params: { token } })
      const sender = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
      await sender.opened
      sender.ws.send(encodeSyncUpdate(update))
      const closed = await sender.closed
      expect(closed.code).toBe(1007)
      expect(closed.reason).toMatch(/^invalid payload: /)

      // The same client then sends a valid first struct: the server has nothing of client 2 yet.
      const honest = new Y.Doc()
      honest.clientID = 2
      honest.getText('content').insert(0, 'ok')
      const writer = openRaw(`${syncUrl(server)}/${docName}?token=${token}`)
      await writer.opened
      writer.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(honest)))
      await waitFor('the honest update to arrive', () => reader.doc.getText('content').toString() === 'ok')
      expect(reader.doc.getMap('m').size).toBe(0)
      expect(storedSeqs(dbPath, docName).logged).toBe(1)
      const late = await syncedProvider(syncUrl(server), docName, { params: { token } })
      expect(late.doc.getText('content').toString()).toBe('ok')
      expect(server.engine.read(docName, (doc) => Y.encodeStateAsUpdate(doc))).toEqual(Y.encodeStateAsUpdate(late.doc))
      writer.ws.close()
      closeProviders(reader, late)
    })
  }
})
