import WebSocket from 'ws'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { documentDocName } from '../../schema/index.js'
import type { OfflineInfo, PermissionDeniedInfo, ReadOnlyInfo, UnauthenticatedInfo } from '../../clients/index.js'
import { adminPassword, createDocument, login, post, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, syncedProvider } from '../helpers/clients.js'
import { syncUrl } from '../helpers/server.js'
import { type Harness, recorder, startHarness, waitFor } from './harness.js'

/** `ws`, recording the path of every socket the SDK opens. */
function countingWebSocket(paths: string[]): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      paths.push(new URL(url).pathname)
    }
  } as typeof WebSocket
}

describe('client SDK: docs over one shared socket', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ FOLIO_ACCESS_RECHECK_SECONDS: '3600' })
  })
  afterEach(() => h.stop())

  it('opens every doc on one /mux socket; a refused doc is closed alone while the others sync with stock providers', async () => {
    const ann = await registerAndLogin(h.server.url, 'ann')
    const secret = await createDocument(h.server.url, ann.token, { name: 'private', public: false })
    const paths: string[] = []
    const ben = await h.user('ben', { WebSocket: countingWebSocket(paths) })
    const denied = recorder<PermissionDeniedInfo>()
    ben.on('permission-denied', denied.cb)

    const first = ben.openDoc('notes:first', { disableBc: true })
    const refused = ben.openDoc(documentDocName(secret), { disableBc: true })
    const second = ben.openDoc('notes:second', { disableBc: true })
    await waitFor('the refusal', () => denied.calls.length > 0)
    expect(denied.calls).toEqual([{ doc: documentDocName(secret), code: 4403, reason: `access to document "${documentDocName(secret)}" denied` }])
    expect(refused.provider.shouldConnect).toBe(false)
    await waitFor('the two others to sync', () => first.provider.synced && second.provider.synced)

    const peerFirst = await syncedProvider(syncUrl(h.server), 'notes:first', { params: { token: ann.token } })
    const peerSecond = await syncedProvider(syncUrl(h.server), 'notes:second', { params: { token: ann.token } })
    first.doc.getText('t').insert(0, 'from ben')
    peerSecond.doc.getText('t').insert(0, 'from ann')
    await waitFor('ben’s edit at the stock peer', () => peerFirst.doc.getText('t').toString() === 'from ben')
    await waitFor('ann’s edit at ben', () => second.doc.getText('t').toString() === 'from ann')
    expect(paths.sort()).toEqual(['/events', '/mux'])
    closeProviders(peerFirst, peerSecond)
  })

  it('tells read-only and permission-denied per doc as access changes live, and leaves the other docs on the socket', async () => {
    const admin = await login(h.server.url, 'admin', adminPassword)
    const ann = await registerAndLogin(h.server.url, 'ann')
    const turning = await createDocument(h.server.url, ann.token, { name: 'turns private', public: true })
    const edited = await createDocument(h.server.url, ann.token, { name: 'edited', public: true })
    const carol = await h.user('carol')
    const carolId = (await carol.check()).id
    const granted = await rpc<number>(h.server.url, 'appDataUpdate', { table: 'user_role_matching', data: { userId: carolId, userRoleId: 1 } }, admin)
    if (!granted.body.success) throw new Error(granted.body.message)
    const denied = recorder<PermissionDeniedInfo>()
    const readOnly = recorder<ReadOnlyInfo>()
    carol.on('permission-denied', denied.cb)
    carol.on('read-only', readOnly.cb)
    const docs = [documentDocName(turning), documentDocName(edited), 'notes:carol'].map((name) => carol.openDoc(name, { disableBc: true }))
    await waitFor('all three to sync', () => docs.every((opened) => opened.provider.synced))

    await rpc(h.server.url, 'appDataUpdate', { table: 'user_role_matching', data: { id: granted.body.data, deleted: true } }, admin)
    await waitFor('the downgrade', () => readOnly.calls.length > 0)
    // Both documents are ann's; carol, an admin no more, may only read them.
    expect(readOnly.calls.map((call) => call.doc).sort()).toEqual([documentDocName(edited), documentDocName(turning)].sort())
    expect(readOnly.last!.reason).toMatch(/^write access to "document:\d+" was withdrawn$/)

    await rpc(h.server.url, 'documentUpdate', { id: turning, public: false }, ann.token)
    await waitFor('the withdrawal', () => denied.calls.length > 0)
    expect(denied.calls).toEqual([{ doc: documentDocName(turning), code: 4403, reason: `access to "${documentDocName(turning)}" was withdrawn` }])
    docs[2]!.doc.getText('t').insert(0, 'still syncing')
    const peer = await syncedProvider(syncUrl(h.server), 'notes:carol', { params: { token: ann.token } })
    await waitFor('the scratch doc to go on', () => peer.doc.getText('t').toString() === 'still syncing')
    expect(docs[1]!.provider.wsconnected).toBe(true)
    closeProviders(peer)
  })

  it('goes offline and online with the server, and every doc comes back over one new socket', async () => {
    const paths: string[] = []
    const dana = await h.user('dana', { WebSocket: countingWebSocket(paths) })
    const offline = recorder<OfflineInfo>()
    const online = recorder<void>()
    dana.on('offline', offline.cb)
    dana.on('online', online.cb)
    const docs = ['notes:d1', 'notes:d2', 'notes:d3'].map((name) => dana.openDoc(name, { disableBc: true }))
    await waitFor('the docs to sync', () => docs.every((opened) => opened.provider.synced))
    online.calls.length = 0

    const restarting = h.restart()
    await waitFor('offline', () => offline.calls.length > 0)
    expect(offline.calls).toHaveLength(1)
    docs[0]!.doc.getText('t').insert(0, 'typed offline')
    await restarting
    await waitFor('online again', () => online.calls.length > 0, 10_000)
    await waitFor('the docs to sync again', () => docs.every((opened) => opened.provider.synced), 10_000)
    const peer = await syncedProvider(syncUrl(h.server), 'notes:d1', { params: { token: dana.token! } })
    await waitFor('the offline edit at a peer', () => peer.doc.getText('t').toString() === 'typed offline')
    expect(paths.filter((path) => path === '/mux').length).toBeGreaterThanOrEqual(2)
    expect(paths).not.toContain('/sync/notes:d1')
    closeProviders(peer)
  })

  it('tells unauthenticated once when the session ends, and the docs stop', async () => {
    const erin = await h.user('erin')
    const told = recorder<UnauthenticatedInfo>()
    erin.on('unauthenticated', told.cb)
    const docs = ['notes:e1', 'notes:e2'].map((name) => erin.openDoc(name, { disableBc: true }))
    await waitFor('the docs to sync', () => docs.every((opened) => opened.provider.synced))
    // Logged out elsewhere: the token is revoked on the server.
    await post(h.server.url, '/auth/logout', {}, erin.token!)
    await waitFor('the docs to stop', () => docs.every((opened) => !opened.provider.shouldConnect))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(told.calls).toHaveLength(1)
    expect(told.last!.code).toBe(4401)
  })

  it('opens one /sync/<doc> socket per doc with multiplex: false', async () => {
    const paths: string[] = []
    const fay = await h.user('fay', { WebSocket: countingWebSocket(paths), multiplex: false })
    const docs = ['notes:f1', 'notes:f2'].map((name) => fay.openDoc(name, { disableBc: true }))
    await waitFor('the docs to sync', () => docs.every((opened) => opened.provider.synced))
    expect(paths.sort()).toEqual(['/events', '/sync/notes:f1', '/sync/notes:f2'])
  })
})
