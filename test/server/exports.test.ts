import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, type Answer, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'
import { parseCsv } from '../helpers/csv.js'

type Row = Record<string, unknown>
type Comment = Row & { tagNames: string[]; votes: Row[]; score: number }
type Annotation = Row & { tagName: string | null; comments: Comment[] }
type Export = { documentId: number; documentName: string; scope: string; annotations: Annotation[]; comments: Comment[] }

describe('annotations export', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let admin: string
  let alice: { token: string; userId: number }
  let bob: { token: string; userId: number }
  let carol: { token: string; userId: number }
  let dave: { token: string; userId: number }
  let documentId: number
  const ids: Record<string, string> = {}

  const ok = async <T = unknown>(event: string, data: unknown, token: string): Promise<T> => {
    const { body } = await rpc<T>(server.url, event, data, token)
    if (!body.success) throw new Error(`${event} failed: ${body.message}`)
    return body.data
  }
  const exportOf = async (token: string, query = '') => {
    const response = await fetch(`${server.url}/documents/${documentId}/annotations/export${query}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() }
  }
  const jsonExport = async (token: string, query = ''): Promise<Export> => {
    const { status, text } = await exportOf(token, query)
    const body = JSON.parse(text) as Answer<Export>
    if (!body.success) throw new Error(`export failed with ${status}: ${body.message}`)
    return body.data
  }
  const annotate = async (token: string, fields: Row) => (await ok<{ id: string }>('annotationUpdate', { documentId, ...fields }, token)).id
  const comment = async (token: string, fields: Row) => (await ok<{ id: string }>('commentUpdate', { documentId, draft: false, ...fields }, token)).id
  const selectors = (exact: string, start: number) => ({
    target: [{ selector: [{ type: 'TextPositionSelector', start, end: start + exact.length }, { type: 'TextQuoteSelector', exact }] }],
  })

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    admin = await login(server.url, 'admin', adminPassword)
    alice = await registerAndLogin(server.url, 'alice')
    bob = await registerAndLogin(server.url, 'bob')
    carol = await registerAndLogin(server.url, 'carol')
    dave = await registerAndLogin(server.url, 'dave')
    // Carol is a teacher: the role holds the export right by default.
    const db = new Database(tmp.dbPath, { readonly: true })
    const teacher = db.prepare("SELECT id FROM user_role WHERE name = 'teacher'").get() as { id: number }
    db.close()
    await ok('appDataUpdate', { table: 'user_role_matching', data: { userId: carol.userId, userRoleId: teacher.id } }, admin)

    const tagSetId = await ok<number>('appDataUpdate', { table: 'tag_set', data: { name: 'argument', public: true } }, admin)
    const claim = await ok<number>('appDataUpdate', { table: 'tag', data: { name: 'Claim', tagSetId, public: true } }, admin)
    const evidence = await ok<number>('appDataUpdate', { table: 'tag', data: { name: 'Evidence, strong', tagSetId, public: true } }, admin)

    // Alice's public document, which Bob and Carol read; Dave has a private one of his own.
    documentId = (await ok<{ id: number }>('documentCreate', { name: 'Essay' }, alice.token)).id
    await ok('documentPublish', { documentId }, alice.token)

    // Alice: a published annotation with a comment whose text needs quoting in CSV.
    ids.aliceAnnotation = await annotate(alice.token, { tagId: claim, selectors: selectors('reading is', 0), draft: false })
    ids.aliceComment = await comment(alice.token, { annotationId: ids.aliceAnnotation, text: 'He said, "read"\nthen left', tags: [String(claim), 'free text'] })
    // Bob: an anonymous published annotation with a reply thread, and a draft he never published.
    ids.bobAnonymous = await annotate(bob.token, { tagId: evidence, selectors: selectors('writing', 20), draft: false, anonymous: true })
    ids.bobComment = await comment(bob.token, { annotationId: ids.bobAnonymous, text: 'why I think so', anonymous: true })
    ids.aliceReply = await comment(alice.token, { parentCommentId: ids.bobComment, text: 'agreed' })
    ids.bobDraft = await annotate(bob.token, { tagId: claim, selectors: selectors('draft', 40), text: 'unfinished thought' })
    // A document-level comment, and a deleted annotation that no export holds.
    ids.documentComment = await comment(bob.token, { text: 'overall: good' })
    const deleted = await annotate(alice.token, { draft: false, selectors: selectors('gone', 60) })
    await ok('annotationUpdate', { documentId, annotationId: deleted, deleted: true }, alice.token)
    // Votes: Alice likes Bob's comment, Bob and Carol dislike Alice's.
    await ok('commentVote', { documentId, commentId: ids.bobComment, vote: 1 }, alice.token)
    await ok('commentVote', { documentId, commentId: ids.aliceComment, vote: -1 }, bob.token)
    await ok('commentVote', { documentId, commentId: ids.aliceComment, vote: -1 }, carol.token)
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  const annotationIds = (data: Export) => data.annotations.map((annotation) => annotation.id)

  it('gives readers what they see in the app, with comments, votes and tag names, anonymous entries anonymised', async () => {
    const forAlice = await jsonExport(alice.token)
    expect(forAlice).toMatchObject({ documentId, documentName: 'Essay', scope: 'visible' })
    // Bob's draft is his own; the deleted annotation is nobody's export.
    expect(annotationIds(forAlice)).toEqual([ids.aliceAnnotation, ids.bobAnonymous])
    const [mine, anonymous] = forAlice.annotations
    expect(mine).toMatchObject({ userId: alice.userId, creator_name: 'alice', tagName: 'Claim', draft: false })
    // Every new annotation comes with an empty draft comment of its creator: Alice sees her own, not Bob's.
    expect(mine!.comments.map((c) => [c.text, c.draft])).toEqual([
      ['', true],
      ['He said, "read"\nthen left', false],
    ])
    const quoted = mine!.comments[1]!
    expect(quoted).toMatchObject({ tagNames: ['Claim', 'free text'], score: -2 })
    expect(quoted.votes.map((vote) => [vote.creator_name, vote.vote])).toEqual([
      ['bob', -1],
      ['carol', -1],
    ])
    // Bob's anonymous annotation and comment: no user id, "Anonymous"; Alice's reply sits in the same thread.
    expect(anonymous).toMatchObject({ userId: null, creator_name: 'Anonymous', tagName: 'Evidence, strong', anonymous: true })
    expect(anonymous!.comments.map((c) => [c.id, c.userId, c.creator_name])).toEqual([
      [ids.bobComment, null, 'Anonymous'],
      [ids.aliceReply, alice.userId, 'alice'],
    ])
    const everyRow = (data: Export): Row[] => [...data.annotations, ...data.annotations.flatMap((a) => a.comments), ...data.comments]
    expect(everyRow(forAlice).filter((row) => row.anonymous === true && row.userId !== null)).toEqual([])
    expect(forAlice.comments.map((c) => c.id)).toEqual([ids.documentComment])

    // Bob sees his own draft (and his own anonymous entries with his id), not Alice's empty draft comment.
    const forBob = await jsonExport(bob.token)
    expect(annotationIds(forBob)).toEqual([ids.aliceAnnotation, ids.bobAnonymous, ids.bobDraft])
    expect(forBob.annotations[1]).toMatchObject({ userId: bob.userId, creator_name: 'Anonymous' })
    expect(forBob.annotations[0]!.comments.map((c) => c.text)).toEqual(['He said, "read"\nthen left'])

    // Asking for every user's entries needs the right.
    const refused = await exportOf(alice.token, '?scope=all')
    expect(refused.status).toBe(403)
    expect(JSON.parse(refused.text)).toEqual({ success: false, message: 'exporting every user\'s entries (scope=all) needs the right "backend.export.allUsers"' })
    // Non-readers get nothing.
    expect((await exportOf(dave.token)).status).toBe(200)
    const { id: privateDocument } = await ok<{ id: number }>('documentCreate', { name: 'Diary' }, alice.token)
    const outsider = await fetch(`${server.url}/documents/${privateDocument}/annotations/export`, { headers: { authorization: `Bearer ${dave.token}` } })
    expect(outsider.status).toBe(403)
    expect((await fetch(`${server.url}/documents/${documentId}/annotations/export`)).status).toBe(401)
    expect((await exportOf(alice.token, '?format=xml')).status).toBe(400)
  })

  it('exports every user\'s entries, drafts included, with the export right; anonymity holds for all but admins', async () => {
    const forCarol = await jsonExport(carol.token)
    expect(forCarol.scope).toBe('all')
    expect(annotationIds(forCarol)).toEqual([ids.aliceAnnotation, ids.bobAnonymous, ids.bobDraft])
    expect(forCarol.annotations[2]).toMatchObject({ id: ids.bobDraft, draft: true, userId: bob.userId, creator_name: 'bob', text: 'unfinished thought' })
    expect(forCarol.annotations[1]).toMatchObject({ userId: null, creator_name: 'Anonymous' })
    // Everyone's empty draft comments are there too.
    expect(forCarol.annotations[1]!.comments.map((c) => [c.text, c.draft])).toEqual([
      ['', true],
      ['why I think so', false],
      ['agreed', false],
    ])
    // She may still ask for only what she sees.
    expect(annotationIds(await jsonExport(carol.token, '?scope=visible'))).toEqual([ids.aliceAnnotation, ids.bobAnonymous])

    // Admins hold every right and, as in the app, see who wrote anonymous entries.
    const forAdmin = await jsonExport(admin)
    expect(forAdmin.scope).toBe('all')
    expect(forAdmin.annotations[1]).toMatchObject({ id: ids.bobAnonymous, userId: bob.userId, creator_name: 'Anonymous' })
  })

  it('exports CSV with a header row, one row per annotation, comment and vote, escaped as RFC 4180', async () => {
    const { status, type, text } = await exportOf(alice.token, '?format=csv')
    expect(status).toBe(200)
    expect(type).toBe('text/csv; charset=utf-8')
    const [header, ...rows] = parseCsv(text)
    expect(header).toEqual([
      'kind',
      'id',
      'documentId',
      'annotationId',
      'parentCommentId',
      'commentId',
      'userId',
      'creatorName',
      'anonymous',
      'draft',
      'tagId',
      'tagName',
      'tags',
      'text',
      'quote',
      'startOffset',
      'endOffset',
      'page',
      'vote',
      'score',
      'createdAt',
      'updatedAt',
    ])
    const records = rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i]])))
    for (const row of rows) expect(row).toHaveLength(header!.length)
    expect(records.map((r) => [r.kind, r.id])).toEqual([
      ['annotation', ids.aliceAnnotation],
      ['comment', expect.any(String)],
      ['comment', ids.aliceComment],
      ['vote', `${ids.aliceComment}:${bob.userId}`],
      ['vote', `${ids.aliceComment}:${carol.userId}`],
      ['annotation', ids.bobAnonymous],
      ['comment', ids.bobComment],
      ['vote', `${ids.bobComment}:${alice.userId}`],
      ['comment', ids.aliceReply],
      ['comment', ids.documentComment],
    ])
    expect(records[0]).toMatchObject({ userId: String(alice.userId), creatorName: 'alice', tagName: 'Claim', quote: 'reading is', startOffset: '0', endOffset: '10', draft: 'false' })
    expect(records[2]).toMatchObject({ text: 'He said, "read"\nthen left', tags: 'Claim; free text', score: '-2', annotationId: ids.aliceAnnotation })
    expect(records[3]).toMatchObject({ commentId: ids.aliceComment, vote: '-1', creatorName: 'bob' })
    expect(records[5]).toMatchObject({ userId: '', creatorName: 'Anonymous', tagName: 'Evidence, strong', anonymous: 'true' })
    expect(records[8]).toMatchObject({ parentCommentId: ids.bobComment, text: 'agreed' })
    // Raw: the fields with a comma, a quote or a line break are quoted, quotes doubled.
    expect(text).toContain('"He said, ""read""\nthen left"')
    expect(text).toContain(',"Evidence, strong",')
  })
})
