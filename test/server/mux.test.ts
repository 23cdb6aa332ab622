import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { encodeSyncUpdate } from '../../sync/index.js'
import { adminPassword, createDocument, login, post, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, frameKind, syncedProvider, waitFor } from '../helpers/clients.js'
import { muxUrl, openRawMux, type RawMux } from '../helpers/mux.js'
import { startTestServer, syncUrl, tempDir, withServer } from '../helpers/server.js'

const textOf = (server: FolioServer, docName: string) => server.engine.read(docName, (doc) => doc.getText('t').toString())

/** An update inserting `text` at the start, from a doc of its own. */
function insertion(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return encodeSyncUpdate(Y.encodeStateAsUpdate(doc))
}

async function opened(mux: RawMux, ...channels: number[]): Promise<void> {
  await waitFor(`channels ${channels.join(', ')} to open`, () => channels.every((channel) => mux.openedChannels.has(channel)))
}

/** `ws://host/mux`: many docs over one socket, each decided, closed and broken on its own. */
describe('the multiplexed sync endpoint', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let admin: string

  beforeAll(async () => {
    tmp = tempDir()
    // A sweep far away: the re-checks below must happen at once, not at the next sweep.
    server = await startTestServer(tmp.dbPath, { FOLIO_ACCESS_RECHECK_SECONDS: '3600', FOLIO_MAX_DOCS_PER_MUX_SOCKET: '4' })
    admin = await login(server.url, 'admin', adminPassword)
  })
  afterAll(async () => {
    await server.close()
    tmp.remove()
  })

  it('refuses a doc the user may not open with 4403 on its channel and syncs the others on the same socket', async () => {
    const ann = await registerAndLogin(server.url, 'ann-refused')
    const ben = await registerAndLogin(server.url, 'ben-refused')
    const secret = await createDocument(server.url, ann.token, { name: 'private', public: false })
    const mux = openRawMux(muxUrl(server, ben.token))
    await mux.opened
    mux.open(1, 'notes:ben-1')
    mux.open(2, documentDocName(secret))
    mux.open(3, 'notes:ben-3')
    await opened(mux, 1, 3)
    await waitFor('the refusal', () => mux.channelCloses.has(2))
    expect(mux.channelCloses.get(2)).toEqual({ code: 4403, reason: `access to document "${documentDocName(secret)}" denied` })
    expect(mux.openedChannels.has(2)).toBe(false)
    expect(mux.messages(2)).toEqual([])

    mux.send(1, insertion('one'))
    mux.send(3, insertion('three'))
    await waitFor('both edits to be stored', () => textOf(server, 'notes:ben-1') === 'one' && textOf(server, 'notes:ben-3') === 'three')
    // A frame for the refused channel, sent before the refusal arrived, is dropped without a word.
    mux.send(2, insertion('late'))
    mux.send(1, insertion('more '))
    // Two inserts at the start from different Yjs clients: their order is the clients' ids', so either comes first.
    await waitFor('the next edit', () => ['more one', 'onemore '].includes(textOf(server, 'notes:ben-1')))
    expect(mux.channelCloses.size).toBe(1)
    mux.ws.close()
  })

  it('closes only the doc whose frames break the protocol', async () => {
    const ben = await registerAndLogin(server.url, 'ben-broken')
    const mux = openRawMux(muxUrl(server, ben.token))
    await mux.opened
    mux.open(1, 'notes:broken')
    mux.open(2, 'notes:intact')
    await opened(mux, 1, 2)
    // A sync message of an unknown sub-type, then an update Yjs cannot decode (with its trailing bytes).
    mux.send(1, new Uint8Array([0, 9]))
    await waitFor('the broken channel to close', () => mux.channelCloses.has(1))
    expect(mux.channelCloses.get(1)!.code).toBe(1002)
    mux.send(2, new Uint8Array([0, 2, 4, 1, 1, 1, 1]))
    await waitFor('the truncated update to close its channel', () => mux.channelCloses.has(2))
    expect(mux.channelCloses.get(2)!.code).toBe(1007)

    mux.open(3, 'notes:intact')
    await opened(mux, 3)
    mux.send(3, insertion('still here'))
    await waitFor('the edit on the socket that stayed open', () => textOf(server, 'notes:intact') === 'still here')
    expect(mux.ws.readyState).toBe(mux.ws.OPEN)
    mux.ws.close()
  })

  it('answers an unknown channel, a reused id and one doc too many on the channel, and ends the socket on a malformed envelope', async () => {
    const ben = await registerAndLogin(server.url, 'ben-envelope')
    const mux = openRawMux(muxUrl(server, ben.token))
    await mux.opened
    mux.send(7, insertion('nowhere'))
    await waitFor('the unknown channel answer', () => mux.channelCloses.has(7))
    expect(mux.channelCloses.get(7)).toEqual({ code: 4400, reason: 'unknown channel 7: open it first' })

    for (let channel = 10; channel < 14; channel++) mux.open(channel, `notes:envelope-${channel}`)
    mux.open(14, 'notes:envelope-14')
    await opened(mux, 10, 11, 12, 13)
    await waitFor('the fifth doc to be refused', () => mux.channelCloses.has(14))
    expect(mux.channelCloses.get(14)).toEqual({ code: 4429, reason: 'too many documents on one socket: at most 4; close one or open another socket' })
    mux.close(10)
    mux.open(10, 'notes:envelope-again')
    await waitFor('the reused id to be refused', () => mux.channelCloses.has(10))
    expect(mux.channelCloses.get(10)).toEqual({ code: 4400, reason: 'channel id 10 was used before: each new channel takes a higher id' })
    mux.open(15, 'notes:envelope-15')
    await opened(mux, 15)

    // A control message of an unknown type: nothing on the socket can be trusted after it.
    mux.ws.send(new Uint8Array([0, 9, 1]))
    expect(await mux.closed).toEqual({ code: 4400, reason: 'malformed mux frame: unknown control type 9' })
    await waitFor('the socket’s docs to be left', () => server.engine.stats().connections === 0)
  })

  it('refuses a token that no longer signs in with 4401, and text frames with 1003', async () => {
    const ben = await registerAndLogin(server.url, 'ben-token')
    await post(server.url, '/auth/logout', {}, ben.token)
    const stale = openRawMux(muxUrl(server, ben.token))
    expect((await stale.closed).code).toBe(4401)

    const fresh = await login(server.url, 'ben-token', 'ben-token-password')
    const mux = openRawMux(muxUrl(server, fresh))
    await mux.opened
    mux.ws.send('hello')
    expect((await mux.closed).code).toBe(1003)
  })

  it('withdraws one doc live when it turns private and downgrades another on a role change, leaving the rest', async () => {
    const ann = await registerAndLogin(server.url, 'ann-live')
    const carol = await registerAndLogin(server.url, 'carol-live')
    const turning = await createDocument(server.url, ann.token, { name: 'turns private', public: true })
    const edited = await createDocument(server.url, ann.token, { name: 'edited by an admin', public: true })
    const mux = openRawMux(muxUrl(server, carol.token))
    await mux.opened
    mux.open(1, documentDocName(turning))
    mux.open(2, documentDocName(edited))
    mux.open(3, 'notes:carol')
    await opened(mux, 1, 2, 3)

    await rpc(server.url, 'documentUpdate', { id: turning, public: false }, ann.token)
    await waitFor('the private doc to close', () => mux.channelCloses.has(1))
    expect(mux.channelCloses.get(1)).toEqual({ code: 4403, reason: `access to "document:${turning}" was withdrawn` })
    expect(mux.channelCloses.size).toBe(1)

    // Made an admin (everyone's document is hers to edit), then not any more.
    const granted = await rpc<number>(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { userId: carol.userId, userRoleId: 1 } }, admin)
    if (!granted.body.success) throw new Error(granted.body.message)
    // Sent again until the re-check has made it a writer (the same update: applying it twice changes nothing).
    const asAdmin = insertion('as admin')
    await waitFor('the admin edit', () => {
      mux.send(2, asAdmin)
      return textOf(server, documentDocName(edited)) === 'as admin'
    })
    await rpc(server.url, 'appDataUpdate', { table: 'user_role_matching', data: { id: granted.body.data, deleted: true } }, admin)
    await waitFor('the downgrade notice on its channel', () => mux.messages(2).some((message) => frameKind(message).type === 2))
    expect(mux.messages(3).some((message) => frameKind(message).type === 2)).toBe(false)
    mux.send(2, insertion('too late '))
    mux.send(3, insertion('mine'))
    await waitFor('the scratch edit', () => textOf(server, 'notes:carol') === 'mine')
    expect(textOf(server, documentDocName(edited))).toBe('as admin')
    expect(mux.channelCloses.size).toBe(1)

    // The session ends: the whole socket goes, as the events socket does.
    await post(server.url, '/auth/logout', {}, carol.token)
    expect(await mux.closed).toEqual({ code: 4401, reason: 'token expired or revoked: log in again' })
  })

  it('keeps /sync/<doc> for stock clients beside it: edits cross between the two', async () => {
    const ben = await registerAndLogin(server.url, 'ben-both')
    const stock = await syncedProvider(syncUrl(server), 'notes:both', { params: { token: ben.token } })
    const mux = openRawMux(muxUrl(server, ben.token))
    await mux.opened
    mux.open(1, 'notes:both')
    await opened(mux, 1)
    mux.send(1, insertion('via mux'))
    await waitFor('the stock provider to see it', () => stock.doc.getText('t').toString() === 'via mux')
    stock.doc.getText('t').insert(0, 'stock ')
    await waitFor('the mux channel to get the stock edit', () => mux.messages(1).some((message) => frameKind(message).type === 0 && frameKind(message).subtype === 2))
    closeProviders(stock)
    mux.ws.close()
  })
})

describe('per-account limits over the mux', () => {
  it('counts each doc of the socket against the account and refuses the one past the limit on its channel', async () => {
    await withServer({ FOLIO_MAX_DOCS_PER_USER: '2' }, async (server) => {
      const ben = await registerAndLogin(server.url, 'ben-limits')
      const mux = openRawMux(muxUrl(server, ben.token))
      await mux.opened
      mux.open(1, 'notes:limit-1')
      mux.open(2, 'notes:limit-2')
      await opened(mux, 1, 2)
      mux.open(3, 'notes:limit-3')
      await waitFor('the third doc to be refused', () => mux.channelCloses.has(3))
      expect(mux.channelCloses.get(3)).toEqual({ code: 4429, reason: 'too many documents open: at most 2 per account' })
      // Closing a channel gives its doc back.
      mux.close(1)
      mux.open(4, 'notes:limit-3')
      await opened(mux, 4)
      mux.ws.close()
    })
  })
})
