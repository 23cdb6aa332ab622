import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { annotationsDocName, documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { encodeSyncUpdate } from '../../sync/index.js'
import { adminPassword, createDocument, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, frameKind, openRaw, syncedProvider, waitFor } from '../helpers/clients.js'
import { EventsConnection } from '../helpers/events.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

type Account = { token: string; userId: number }
type Row = Record<string, unknown>

/** The protocol's auth message (type 2): y-websocket's permission-denied. */
const permissionDenied = (frame: Uint8Array) => frameKind(frame).type === 2

/** Sharing: editors co-edit, annotators annotate, readers read, and every check follows a share as it changes. */
describe('document shares', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let admin: string
  let ann: Account
  const events: EventsConnection[] = []

  beforeAll(async () => {
    tmp = tempDir()
    // A sweep far away: a share's change must reach open sockets at once, not at the next sweep.
    server = await startTestServer(tmp.dbPath, { FOLIO_ACCESS_RECHECK_SECONDS: '3600' })
    admin = await login(server.url, 'admin', adminPassword)
    ann = await registerAndLogin(server.url, 'ann')
  })
  afterAll(async () => {
    for (const connection of events) connection.ws.close()
    await server.close()
    tmp.remove()
  })

  const call = async (event: string, data: unknown, token: string) => (await rpc(server.url, event, data, token)).body
  const ok = async <T = Row>(event: string, data: unknown, token: string): Promise<T> => {
    const answer = await call(event, data, token)
    if (!answer.success) throw new Error(`${event} failed: ${answer.message}`)
    return answer.data as T
  }
  const status = async (event: string, data: unknown, token: string) => {
    const { status, body } = await rpc(server.url, event, data, token)
    return { status, message: body.success ? null : body.message }
  }
  const getStatus = async (path: string, token: string) => (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status
  const contentOf = (documentId: number) => server.engine.read(documentDocName(documentId), (doc) => doc.getText('content').toString())
  const annotationIds = (documentId: number) => server.engine.read(annotationsDocName(documentId), (doc) => [...doc.getMap('annotations').keys()])
  const share = (data: Row, token = ann.token) => ok<Row>('shareCreate', data, token)
  const openEvents = async (token: string) => {
    const connection = await EventsConnection.open(server, token)
    events.push(connection)
    return connection
  }
  /** A stock provider of the annotations doc adds an annotation in the account's own name. */
  const annotateOver = async (documentId: number, account: Account, id: string) => {
    const provider = await syncedProvider(syncUrl(server), annotationsDocName(documentId), { params: { token: account.token } })
    // One transaction: an entry is created with its owner, as the ownership guard wants it.
    provider.doc.transact(() => {
      const entry = new Y.Map<unknown>()
      provider.doc.getMap('annotations').set(id, entry)
      entry.set('userId', account.userId)
      entry.set('text', 'mine')
    })
    return provider
  }

  it('lets an editor co-edit with the owner over stock providers and RPC, and the history routes serve them', async () => {
    const ben = await registerAndLogin(server.url, 'ben-editor')
    const documentId = await createDocument(server.url, ann.token, { name: 'shared draft' })
    const outsider = openRaw(`${syncUrl(server)}/${documentDocName(documentId)}?token=${ben.token}`)
    expect((await outsider.closed).code).toBe(4403)
    expect(await status('documentGet', { documentId }, ben.token)).toEqual({ status: 403, message: `no access to document ${documentId}` })
    expect(await getStatus(`/documents/${documentId}/history`, ben.token)).toBe(403)

    const created = await share({ documentId, userName: 'ben-editor', role: 'editor' })
    expect(created).toMatchObject({ documentId, userId: ben.userId, userRoleId: null, role: 'editor', createdByUserId: ann.userId, userName: 'ben-editor', roleName: null })

    const owner = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: ann.token } })
    const editor = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: ben.token } })
    owner.doc.getText('content').insert(0, 'ann ')
    editor.doc.getText('content').insert(0, 'ben ')
    const converged = () => owner.doc.getText('content').toString() === editor.doc.getText('content').toString() && owner.doc.getText('content').length === 8
    await waitFor('both edits on both sides', converged)
    await waitFor('both stored on the server', () => contentOf(documentId) === owner.doc.getText('content').toString())

    expect(await ok('documentEdit', { documentId, delta: { ops: [{ insert: 'rpc ' }] } }, ben.token)).toBeNull()
    await waitFor("the editor's RPC edit to reach the owner", () => owner.doc.getText('content').toString().startsWith('rpc '))
    expect(await ok<{ canEdit: boolean }>('documentOpen', { documentId }, ben.token)).toMatchObject({ canEdit: true })
    expect(await getStatus(`/documents/${documentId}/history`, ben.token)).toBe(200)
    expect(await getStatus(`/documents/${documentId}/content?format=text`, ben.token)).toBe(200)
    expect(await getStatus(`/documents/${documentId}/annotations/history`, ben.token)).toBe(200)
    // Content is the editor's; the document's metadata and its sharing stay the owner's.
    expect(await status('documentUpdate', { id: documentId, name: 'renamed' }, ben.token)).toEqual({ status: 403, message: `only the owner of document ${documentId} and administrators may change it` })
    expect(await ok<Row>('versionCreate', { documentId, name: 'by the editor' }, ben.token)).toMatchObject({ documentId })
    closeProviders(owner, editor)
  })

  it('lets a reader read the document and its annotations but drops their writes to either', async () => {
    const carol = await registerAndLogin(server.url, 'carol-reader')
    const documentId = await createDocument(server.url, ann.token, { name: 'for reading' })
    await ok('documentEdit', { documentId, delta: { ops: [{ insert: 'read me' }] } }, ann.token)
    await share({ documentId, userId: carol.userId, role: 'reader' })

    const reader = await syncedProvider(syncUrl(server), documentDocName(documentId), { params: { token: carol.token } })
    expect(reader.doc.getText('content').toString()).toBe('read me')
    const raw = openRaw(`${syncUrl(server)}/${documentDocName(documentId)}?token=${carol.token}`)
    await raw.opened
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'vandal ')
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)))
    await waitFor('permission-denied for the reader', () => raw.frames.some(permissionDenied))
    reader.doc.getText('content').insert(0, 'also ')
    const annotations = await annotateOver(documentId, carol, 'by-the-reader')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(contentOf(documentId)).toBe('read me')
    expect(annotationIds(documentId)).toEqual([])

    expect(await status('documentGet', { documentId }, carol.token)).toMatchObject({ status: 200 })
    expect(await status('documentEdit', { documentId, delta: { ops: [{ insert: 'x' }] } }, carol.token)).toEqual({
      status: 403,
      message: `only the owner of document ${documentId}, its editors and administrators may change its content`,
    })
    expect(await status('annotationUpdate', { documentId, text: 'note' }, carol.token)).toEqual({
      status: 403,
      message: `document ${documentId} is shared with you to read only: annotating it needs an annotator or editor share`,
    })
    expect(await status('annotationGetByDocument', { documentId }, carol.token)).toMatchObject({ status: 200 })
    expect(await ok<{ canEdit: boolean }>('documentOpen', { documentId }, carol.token)).toMatchObject({ canEdit: false })
    expect(await getStatus(`/documents/${documentId}/history`, carol.token)).toBe(200)
    expect(await status('versionCreate', { documentId, name: 'no' }, carol.token)).toMatchObject({ status: 403 })
    raw.ws.close()
    closeProviders(reader, annotations)
  })

  it('lets an annotator write annotations, over a stock provider and RPC, but not the document', async () => {
    const dave = await registerAndLogin(server.url, 'dave-annotator')
    const documentId = await createDocument(server.url, ann.token, { name: 'for annotating' })
    await share({ documentId, userId: dave.userId, role: 'annotator' })

    const annotations = await annotateOver(documentId, dave, 'by-the-annotator')
    await waitFor('the annotation to be stored', () => annotationIds(documentId).includes('by-the-annotator'))
    expect(await ok<Row>('annotationUpdate', { documentId, text: 'over rpc' }, dave.token)).toMatchObject({ userId: dave.userId })

    const raw = openRaw(`${syncUrl(server)}/${documentDocName(documentId)}?token=${dave.token}`)
    await raw.opened
    const edit = new Y.Doc()
    edit.getText('content').insert(0, 'not yours')
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(edit)))
    await waitFor('permission-denied for the annotator', () => raw.frames.some(permissionDenied))
    expect(contentOf(documentId)).toBe('')
    expect(await status('documentEdit', { documentId, delta: { ops: [{ insert: 'x' }] } }, dave.token)).toMatchObject({ status: 403 })
    raw.ws.close()
    closeProviders(annotations)
  })

  it("makes an editor's open sockets read-only at once on a downgrade, and closes them with 4403 on a revoke", async () => {
    const erin = await registerAndLogin(server.url, 'erin-live')
    const documentId = await createDocument(server.url, ann.token, { name: 'live rules' })
    const created = await share({ documentId, userId: erin.userId, role: 'editor' })
    const content = openRaw(`${syncUrl(server)}/${documentDocName(documentId)}?token=${erin.token}`)
    const annotations = openRaw(`${syncUrl(server)}/${annotationsDocName(documentId)}?token=${erin.token}`)
    await Promise.all([content.opened, annotations.opened])
    const first = new Y.Doc()
    first.getText('content').insert(0, 'as editor')
    content.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(first)))
    await waitFor('the edit to be stored', () => contentOf(documentId) === 'as editor')

    await ok('shareUpdate', { shareId: created.id, role: 'reader' }, ann.token)
    await waitFor('the downgrade notice on the content socket', () => content.frames.some(permissionDenied))
    await waitFor('and on the annotations socket', () => annotations.frames.some(permissionDenied))
    const second = new Y.Doc()
    second.getText('content').insert(0, 'too late')
    content.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(second)))
    await waitFor('a second permission-denied', () => content.frames.filter(permissionDenied).length === 2)
    expect(contentOf(documentId)).toBe('as editor')

    await ok('shareRevoke', { shareId: created.id }, ann.token)
    expect(await content.closed).toEqual({ code: 4403, reason: `access to "document:${documentId}" was withdrawn` })
    expect((await annotations.closed).code).toBe(4403)
    expect(await status('documentGet', { documentId }, erin.token)).toMatchObject({ status: 403 })
  })

  it('shares with every holder of a role, and a revoke reaches each of their sockets', async () => {
    const frank = await registerAndLogin(server.url, 'frank-role')
    const documentId = await createDocument(server.url, ann.token, { name: 'for a role' })
    const init = await ok<{ appSystemRoles: { id: number; name: string }[] }>('appInit', {}, frank.token)
    const userRoleId = init.appSystemRoles.find((role) => role.name === 'user')!.id
    const created = await share({ documentId, userRoleId, role: 'editor' })
    expect(created).toMatchObject({ userId: null, userRoleId, roleName: 'user', userName: null })
    const socket = openRaw(`${syncUrl(server)}/${documentDocName(documentId)}?token=${frank.token}`)
    await socket.opened
    expect(await ok<{ canEdit: boolean }>('documentOpen', { documentId }, frank.token)).toMatchObject({ canEdit: true })

    await ok('shareRevoke', { shareId: created.id }, ann.token)
    expect((await socket.closed).code).toBe(4403)
  })

  it('shows shared documents in the live document table of whom they name, and takes them out on revoke', async () => {
    const gina = await registerAndLogin(server.url, 'gina-list')
    const documentId = await createDocument(server.url, ann.token, { name: 'listed' })
    const other = await createDocument(server.url, ann.token, { name: 'not shared' })
    const live = await openEvents(gina.token)
    await live.ok('subscribeAppData', { table: 'document' })
    await live.ok('subscribeAppData', { table: 'share' })
    expect(live.rowsOf('document').map((row) => row.id)).not.toContain(documentId)

    const created = await share({ documentId, userId: gina.userId, role: 'reader' })
    await live.waitForRow('document', 'the shared document', (row) => row.id === documentId && row.name === 'listed')
    await live.waitForRow('share', 'her share', (row) => row.id === created.id && row.role === 'reader')
    await ok('shareUpdate', { shareId: created.id, role: 'annotator' }, ann.token)
    await live.waitForRow('share', 'the new role', (row) => row.id === created.id && row.role === 'annotator')

    await ok('shareRevoke', { shareId: created.id }, ann.token)
    await live.waitForRow('document', 'the document leaving her list', (row) => row.id === documentId && row.deleted === true)
    expect(live.rowsOf('document').find((row) => row.id === documentId && row.deleted === true)).toEqual({ id: documentId, deleted: true })
    await live.waitForRow('share', 'the share ending', (row) => row.id === created.id && row.deleted === true)
    expect(live.rowsOf('document').map((row) => row.id)).not.toContain(other)
    const snapshot = await openEvents(gina.token)
    await snapshot.ok('subscribeAppData', { table: 'document' })
    expect(snapshot.rowsOf('document').map((row) => row.id)).not.toContain(documentId)
  })

  it('shares a tag set: its tags reach whom it names, and leave on revoke', async () => {
    const hal = await registerAndLogin(server.url, 'hal-tags')
    const owner = await openEvents(ann.token)
    const tagSetId = await owner.ok<number>('appDataUpdate', { table: 'tag_set', data: { name: 'shared tags', tags: [{ name: 'claim' }, { name: 'evidence' }] } })
    const live = await openEvents(hal.token)
    await live.ok('subscribeAppData', { table: 'tag' })
    expect(live.rowsOf('tag')).toEqual([])

    const created = await share({ tagSetId, userId: hal.userId, role: 'reader' })
    await waitFor('both tags', () => live.rowsOf('tag').filter((row) => row.tagSetId === tagSetId).length === 2)
    // Seeing a tag set is not writing it.
    expect(await live.call('appDataUpdate', { table: 'tag', data: { name: 'mine', tagSetId } })).toMatchObject({ success: false })
    await ok('shareRevoke', { shareId: created.id }, ann.token)
    await waitFor('the tags to leave', () => live.rowsOf('tag').filter((row) => row.deleted === true).length === 2)
  })

  it('lets only the owner or an admin share, and refuses unknown ids, oneself, the owner, wrong roles and duplicates', async () => {
    const ivy = await registerAndLogin(server.url, 'ivy-checks')
    const jon = await registerAndLogin(server.url, 'jon-checks')
    const documentId = await createDocument(server.url, ann.token, { name: 'guarded' })
    const publicId = await createDocument(server.url, ann.token, { name: 'open', public: true })
    const created = await share({ documentId, userId: ivy.userId, role: 'editor' })

    expect(await status('shareCreate', { documentId, userId: jon.userId, role: 'reader' }, ivy.token)).toEqual({ status: 403, message: `only the owner of document ${documentId} and administrators may share it` })
    expect(await status('shareCreate', { documentId, userId: ivy.userId, role: 'reader' }, jon.token)).toEqual({ status: 403, message: `no access to document ${documentId}` })
    expect(await status('shareCreate', { documentId: publicId, userId: ivy.userId, role: 'reader' }, jon.token)).toEqual({ status: 403, message: `only the owner of document ${publicId} and administrators may share it` })
    expect(await status('shareUpdate', { shareId: created.id, role: 'reader' }, ivy.token)).toMatchObject({ status: 403 })
    expect(await status('shareRevoke', { shareId: created.id }, jon.token)).toMatchObject({ status: 403 })
    expect(await status('shareList', { documentId }, ivy.token)).toMatchObject({ status: 403 })

    expect(await status('shareCreate', { documentId: 999_999, userId: jon.userId, role: 'reader' }, ann.token)).toEqual({ status: 404, message: 'document 999999 does not exist' })
    expect(await status('shareCreate', { tagSetId: 999_999, userId: jon.userId, role: 'reader' }, ann.token)).toEqual({ status: 404, message: 'tag set 999999 does not exist' })
    expect(await status('shareCreate', { documentId, userId: 999_999, role: 'reader' }, ann.token)).toEqual({ status: 404, message: 'user 999999 does not exist' })
    expect(await status('shareCreate', { documentId, userName: 'nobody-here', role: 'reader' }, ann.token)).toEqual({ status: 404, message: 'no user is named "nobody-here"' })
    expect(await status('shareCreate', { documentId, userRoleId: 999_999, role: 'reader' }, ann.token)).toEqual({ status: 404, message: 'role 999999 does not exist' })
    expect(await status('shareUpdate', { shareId: 999_999, role: 'reader' }, ann.token)).toEqual({ status: 404, message: 'share 999999 does not exist' })
    expect(await status('shareRevoke', { shareId: 999_999 }, ann.token)).toEqual({ status: 404, message: 'share 999999 does not exist' })

    expect(await status('shareCreate', { documentId, userId: ann.userId, role: 'reader' }, ann.token)).toEqual({ status: 400, message: 'invalid input: userId: you cannot share with yourself' })
    expect(await status('shareCreate', { documentId, userName: 'ann', role: 'reader' }, admin)).toEqual({ status: 400, message: 'invalid input: userName: that user owns this document already' })
    expect((await status('shareCreate', { documentId, userId: jon.userId, role: 'owner' }, ann.token)).status).toBe(400)
    expect((await status('shareUpdate', { shareId: created.id, role: 'writer' }, ann.token)).status).toBe(400)
    expect((await status('shareCreate', { documentId, tagSetId: 1, userId: jon.userId, role: 'reader' }, ann.token)).message).toContain('give exactly one of documentId and tagSetId')
    expect((await status('shareCreate', { documentId, userId: jon.userId, userName: 'jon-checks', role: 'reader' }, ann.token)).message).toContain('give exactly one of userId, userName and userRoleId')
    expect((await status('shareCreate', { documentId, role: 'reader' }, ann.token)).status).toBe(400)
    expect((await status('shareCreate', { documentId: 'one', userId: jon.userId, role: 'reader' }, ann.token)).status).toBe(400)
    expect(await status('shareCreate', { documentId, userId: ivy.userId, role: 'reader' }, ann.token)).toEqual({
      status: 409,
      message: `document ${documentId} is already shared with them (share ${created.id}, as editor): change its role with shareUpdate`,
    })
    // Shares are written through their events only, by admins too.
    const refusal = { status: 400, message: 'shares are written by shareCreate, shareUpdate and shareRevoke' }
    expect(await status('appDataUpdate', { table: 'share', data: { id: created.id, deleted: true } }, admin)).toEqual(refusal)
    expect(await status('appDataUpdate', { table: 'share', data: { documentId, userId: jon.userId, role: 'editor', createdByUserId: ann.userId } }, ann.token)).toEqual(refusal)

    // An admin shares anyone's document; the owner lists its shares with names.
    await ok('shareCreate', { documentId, userName: 'jon-checks', role: 'annotator' }, admin)
    const listed = await ok<Row[]>('shareList', { documentId }, ann.token)
    expect(listed.map((row) => [row.userName, row.role])).toEqual([
      ['ivy-checks', 'editor'],
      ['jon-checks', 'annotator'],
    ])
    // Nothing half-written: only the two good shares of this document exist.
    expect(await ok<Row[]>('shareList', { documentId }, admin)).toHaveLength(2)
  })
})
