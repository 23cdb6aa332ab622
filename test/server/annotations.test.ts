import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { annotationsDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, registerAndLogin } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { EventsConnection } from '../helpers/events.js'
import { startTestServer, syncUrl, tempDir } from '../helpers/server.js'

type Row = Record<string, unknown>

const selectors = {
  target: [{ selector: [{ type: 'TextPositionSelector', start: 4, end: 9 }, { type: 'TextQuoteSelector', exact: 'quick', prefix: 'The ', suffix: ' brown' }] }],
}

describe('annotations, comments and votes', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let alice: { token: string; userId: number; events: EventsConnection }
  let bob: { token: string; userId: number; events: EventsConnection }
  let publicDoc: number
  let privateDoc: number
  const sockets: EventsConnection[] = []

  const user = async (name: string) => {
    const account = await registerAndLogin(server.url, name)
    const events = await EventsConnection.open(server, account.token)
    sockets.push(events)
    return { ...account, events }
  }

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_UNLOAD_GRACE_MS: '60000' })
    alice = await user('alice')
    bob = await user('bob')
    publicDoc = await alice.events.ok<number>('appDataUpdate', { table: 'document', data: { name: 'public paper', public: true } })
    privateDoc = await alice.events.ok<number>('appDataUpdate', { table: 'document', data: { name: 'private notes', public: false } })
  })
  afterEach(async () => {
    for (const events of sockets.splice(0)) events.ws.close()
    await server.close()
    tmp.remove()
  })

  it('creates an annotation with its empty draft comment, and finds both again', async () => {
    const annotation = await alice.events.ok<Row>('annotationUpdate', { documentId: publicDoc, selectors, tagId: 3 })
    expect(annotation).toMatchObject({ documentId: publicDoc, userId: alice.userId, text: 'quick', tagId: 3, draft: true, creator_name: 'alice', deleted: false })
    expect(annotation.id).toMatch(/^[0-9a-f-]{36}$/)
    const comments = await alice.events.ok<Row[]>('commentGetByDocument', { documentId: publicDoc })
    expect(comments).toEqual([expect.objectContaining({ annotationId: annotation.id, text: '', draft: true, userId: alice.userId })])
    expect(await alice.events.ok('annotationGet', { documentId: publicDoc, annotationId: annotation.id })).toEqual(annotation)
    // Someone else's drafts are not shown.
    expect(await bob.events.ok('commentGetByDocument', { documentId: publicDoc })).toEqual([])
    expect(await bob.events.ok('annotationGetByDocument', { documentId: publicDoc })).toEqual([])
  })

  it('lets only the owner (or an admin) change an annotation, and publishes drafts on save', async () => {
    const annotation = await alice.events.ok<Row>('annotationUpdate', { documentId: publicDoc, selectors })
    const refused = await bob.events.call('annotationUpdate', { documentId: publicDoc, annotationId: annotation.id, text: 'mine now' })
    expect(refused).toMatchObject({ success: false, message: 'you may only change your own annotations' })
    const saved = await alice.events.ok<Row>('annotationUpdate', { documentId: publicDoc, annotationId: annotation.id, text: 'edited' })
    expect(saved).toMatchObject({ text: 'edited', draft: false })
    expect(await bob.events.ok('annotationGetByDocument', { documentId: publicDoc })).toEqual([expect.objectContaining({ id: annotation.id, text: 'edited' })])
    const admin = await EventsConnection.open(server, await login(server.url, 'admin', adminPassword))
    sockets.push(admin)
    expect(await admin.ok('annotationUpdate', { documentId: publicDoc, annotationId: annotation.id, tagId: 9 })).toMatchObject({ tagId: 9 })
  })

  it('checks document access on every read and write', async () => {
    const denied = { success: false, message: `no access to document ${privateDoc}` }
    expect(await bob.events.call('annotationUpdate', { documentId: privateDoc, selectors })).toMatchObject(denied)
    expect(await bob.events.call('annotationGetByDocument', { documentId: privateDoc })).toMatchObject(denied)
    expect(await bob.events.call('commentUpdate', { documentId: privateDoc, text: 'hi' })).toMatchObject(denied)
    expect(await bob.events.call('commentGetByDocument', { documentId: privateDoc })).toMatchObject(denied)
    expect(await bob.events.call('commentVote', { documentId: privateDoc, commentId: crypto.randomUUID(), vote: 1 })).toMatchObject(denied)
    expect(await bob.events.call('annotationGet', { documentId: 424242, annotationId: crypto.randomUUID() })).toMatchObject({ success: false, message: 'document 424242 does not exist' })
    const invalid = await alice.events.call('annotationUpdate', { documentId: publicDoc, selectors: { target: [{ selector: [{ type: 'Nope' }] }] } })
    expect(invalid).toMatchObject({ success: false, message: expect.stringMatching(/^invalid input: selectors\.target\.0\.selector\.0/) })
  })

  it('threads comments, cascades deletion to replies, and keeps one vote per user and comment', async () => {
    const top = await alice.events.ok<Row>('commentUpdate', { documentId: publicDoc, text: 'top', draft: false })
    const reply = await bob.events.ok<Row>('commentUpdate', { documentId: publicDoc, text: 'reply', parentCommentId: top.id, draft: false })
    expect(reply).toMatchObject({ parentCommentId: top.id, userId: bob.userId })
    const orphan = await bob.events.call('commentUpdate', { documentId: publicDoc, text: 'x', parentCommentId: crypto.randomUUID() })
    expect(orphan).toMatchObject({ success: false, message: expect.stringMatching(/does not exist/) })

    await bob.events.ok('commentVote', { documentId: publicDoc, commentId: top.id, vote: 1 })
    await bob.events.ok('commentVote', { documentId: publicDoc, commentId: top.id, vote: -1 })
    await alice.events.ok('commentVote', { documentId: publicDoc, commentId: top.id, vote: 1 })
    const votes = await alice.events.ok<Row[]>('commentVoteGetByDocument', { documentId: publicDoc })
    expect(votes.map((v) => [v.userId, v.vote]).sort()).toEqual([[alice.userId, 1], [bob.userId, -1]].sort())

    await alice.events.ok('commentUpdate', { documentId: publicDoc, commentId: top.id, deleted: true })
    expect(await bob.events.ok('commentGetByDocument', { documentId: publicDoc })).toEqual([])
  })

  it('anonymises anonymous entries for everyone but the owner and admins', async () => {
    const comment = await alice.events.ok<Row>('commentUpdate', { documentId: publicDoc, text: 'secret author', anonymous: true, draft: false })
    expect(comment).toMatchObject({ creator_name: 'Anonymous', userId: alice.userId })
    const [seenByBob] = await bob.events.ok<Row[]>('commentGetByDocument', { documentId: publicDoc })
    expect(seenByBob).toMatchObject({ text: 'secret author', creator_name: 'Anonymous', userId: null })
    expect(bob.events.texts.join('')).not.toContain(`"userId":${alice.userId}`)
  })

  it('pushes Refresh events to the document room whichever way a change came in, and keeps RPC and Yjs clients on one truth', async () => {
    await bob.events.ok('documentSubscribe', { documentId: publicDoc })
    const annotation = await alice.events.ok<Row>('annotationUpdate', { documentId: publicDoc, selectors, draft: false })
    await bob.events.waitForRow('annotation', 'the RPC-made annotation', (row) => row.id === annotation.id)

    // A stock y-websocket client writes a comment straight into the annotations doc, with an id of its own making.
    const browserCommentId = crypto.randomUUID()
    const provider = await syncedProvider(syncUrl(server), annotationsDocName(publicDoc), { params: { token: alice.token } })
    await waitFor('the client to see the RPC annotation', () => provider.doc.getMap('annotations').has(annotation.id as string))
    const entry = new Y.Map<unknown>()
    for (const [field, value] of Object.entries({ userId: alice.userId, text: 'typed in the browser', annotationId: annotation.id, draft: false, anonymous: false, deleted: false })) entry.set(field, value)
    provider.doc.getMap('comments').set(browserCommentId, entry)
    await bob.events.waitForRow('comment', 'the Yjs-made comment', (row) => row.id === browserCommentId && row.creator_name === 'alice')
    expect(await bob.events.ok<Row[]>('commentGetByDocument', { documentId: publicDoc })).toContainEqual(expect.objectContaining({ id: browserCommentId }))

    // And an RPC change reaches the Yjs client live.
    await alice.events.ok('commentUpdate', { documentId: publicDoc, commentId: browserCommentId, text: 'edited over RPC' })
    await waitFor('the Yjs client to see the RPC edit', () => (provider.doc.getMap('comments').get(browserCommentId) as Y.Map<unknown>).get('text') === 'edited over RPC')
    await bob.events.ok('commentVote', { documentId: publicDoc, commentId: browserCommentId, vote: 1 })
    await bob.events.waitForRow('comment_vote', 'the vote', (row) => row.commentId === browserCommentId && row.vote === 1)
    closeProviders(provider)
  })

  it('answers collabUpdate for old clients', async () => {
    const started = await alice.events.ok<{ collabId: string; collabHash: string }>('collabUpdate', { documentId: publicDoc, targetType: 'comment', targetId: 'x' })
    expect(started.collabId).toMatch(/^[0-9a-f-]{36}$/)
    expect(alice.events.pushes).toContainEqual({ event: 'collabStart', data: started })
    expect(await alice.events.ok('collabUpdate', { documentId: publicDoc, collabId: started.collabId })).toEqual({ collabId: started.collabId })
  })
})
