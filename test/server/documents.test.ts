import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type DeltaOp, documentDocName, type DocumentEditOp } from '../../schema/index.js'
import { applyEditOps, applyQuillDelta, contentText } from '../../server/documents/index.js'
import { ConfigError, type FolioServer, loadConfig } from '../../server/index.js'
import { adminPassword, type Answer, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { syncUrl } from '../helpers/server.js'

type Row = Record<string, unknown> & { id: number }
type Delta = { ops: DeltaOp[] }

const maxUploadBytes = 4096
const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 250, 251, 252, 255]), Buffer.from('\n%%EOF\n')])

describe('documents', () => {
  const live = useEventsServer({ FOLIO_MAX_UPLOAD_BYTES: String(maxUploadBytes) })
  const { connect } = live
  let server: FolioServer
  let adminToken: string
  let ann: { token: string; userId: number }
  let ben: { token: string; userId: number }

  beforeEach(async () => {
    server = live.server
    adminToken = await login(server.url, 'admin', adminPassword)
    ann = await registerAndLogin(server.url, 'ann')
    ben = await registerAndLogin(server.url, 'ben')
  })

  /** Calls over HTTP and returns the status and answer. */
  const call = async <T = unknown>(event: string, data: unknown, token: string) => {
    const { status, body } = await rpc<T>(server.url, event, data, token)
    return { status, body }
  }
  /** Calls over HTTP and returns the data, failing the test with the server's message otherwise. */
  const ok = async <T = unknown>(event: string, data: unknown, token: string): Promise<T> => {
    const { body } = await call<T>(event, data, token)
    if (!body.success) throw new Error(`${event} failed: ${body.message}`)
    return body.data
  }
  const failure = (answer: { status: number; body: Answer }) => ({ status: answer.status, message: answer.body.success ? null : answer.body.message })
  const create = (token: string, data: Record<string, unknown> = {}) => ok<Row>('documentCreate', { name: 'notes', ...data }, token)
  const textOf = (delta: Delta) => delta.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
  const readDb = <T>(query: string, ...params: unknown[]): T[] => {
    const db = new Database(live.dbPath, { readonly: true })
    try {
      return db.prepare(query).all(...params) as T[]
    } finally {
      db.close()
    }
  }
  const storedUpdates = (documentId: number) => readDb<{ user_id: string }>('SELECT user_id FROM doc_update WHERE doc_id = ? ORDER BY seq', documentDocName(documentId))

  it('documentCreate makes an empty HTML or MODAL document owned by the caller and pushes it to subscribers who may see it', async () => {
    const annEvents = await connect(ann.token)
    const benEvents = await connect(ben.token)
    const adminEvents = await connect(adminToken)
    for (const events of [annEvents, benEvents, adminEvents]) await events.ok('subscribeAppData', { table: 'document' })

    const html = await annEvents.ok<Row>('documentCreate', { name: 'Essay', projectId: 7 })
    expect(html).toMatchObject({ name: 'Essay', type: 1, userId: ann.userId, public: false, projectId: 7, deleted: false, hash: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    const modal = await create(ann.token, { type: 2 })
    expect(modal.type).toBe(2)
    await annEvents.waitForRow('document', 'the new document', (row) => row.id === html.id)
    await adminEvents.waitForRow('document', 'the new document', (row) => row.id === modal.id)
    expect(await ok('documentGet', { documentId: html.id }, ann.token)).toEqual({ document: expect.objectContaining({ id: html.id }), deltas: { ops: [] } })
    // Ann's private documents never reach ben: his own later one is all he gets.
    const shared = await create(ben.token, { name: 'ben own' })
    await benEvents.waitForRow('document', 'his own document', (row) => row.id === shared.id)
    expect(benEvents.rowsOf('document').map((row) => row.id)).toEqual([shared.id])

    expect(failure(await call('documentCreate', { name: 'x', type: 0 }, ann.token))).toEqual({ status: 400, message: expect.stringMatching(/^invalid input: type: .*documentAdd/) })
    expect(failure(await call('documentCreate', { type: 1 }, ann.token))).toEqual({ status: 400, message: expect.stringMatching(/name/) })
    expect(failure(await call('documentCreate', { name: ' ' }, ann.token)).message).toMatch(/^invalid input: name/)
    expect(failure(await call('documentCreate', { name: 'x', colour: 'red' }, ann.token)).message).toMatch(/colour/)
    expect(failure(await call('documentCreate', { name: 'x', parentDocumentId: shared.id }, ann.token))).toEqual({ status: 403, message: `no access to document ${shared.id}` })
  })

  it('reads need document access: Forbidden for another user’s private document, NotFound for an unknown id', async () => {
    const secret = await create(ann.token, { name: 'secret' })
    const open = await create(ann.token, { name: 'open' })
    await ok('documentPublish', { documentId: open.id }, ann.token)
    const reads: [string, (documentId: number) => unknown][] = [
      ['documentGet', (documentId) => ({ documentId })],
      ['documentGetDeltas', (documentId) => ({ documentId })],
      ['documentGetData', (documentId) => ({ documentId })],
      ['documentOpen', (documentId) => ({ documentId })],
      ['documentClose', (documentId) => ({ documentId, studySessionId: null })],
      ['documentDataGet', (documentId) => ({ documentId })],
    ]
    for (const [event, data] of reads) {
      expect(failure(await call(event, data(secret.id), ben.token)), event).toEqual({ status: 403, message: `no access to document ${secret.id}` })
      expect(failure(await call(event, data(999), ben.token)), event).toEqual({ status: 404, message: 'document 999 does not exist' })
      for (const token of [ann.token, adminToken]) expect((await call(event, data(secret.id), token)).body.success, event).toBe(true)
      expect((await call(event, data(open.id), ben.token)).body.success, event).toBe(true)
    }
    expect(failure(await call('documentGet', { documentId: 'one' }, ann.token)).message).toMatch(/^invalid input: documentId: /)
    expect(failure(await call('documentGet', { documentId: secret.id, studySessionId: 4 }, ann.token))).toEqual({ status: 404, message: 'study session 4 does not exist' })
    expect(failure(await call('documentGet', { documentId: secret.id, history: true }, ann.token)).message).toMatch(/^invalid input: history/)

    // documentOpen says what to open over /sync.
    expect(await ok('documentOpen', { documentId: open.id }, ben.token)).toEqual({
      documentId: open.id,
      contentDoc: `document:${open.id}`,
      annotationsDoc: `annotations:${open.id}`,
      canEdit: false,
    })
    expect(await ok('documentOpen', { documentId: open.id }, ann.token)).toMatchObject({ canEdit: true })
    expect(await ok('documentClose', { documentId: open.id }, ann.token)).toBeNull()
  })

  it('documentGetByHash finds a document by its public hash, pushes it and checks access', async () => {
    const secret = await create(ann.token, { name: 'secret' })
    const annEvents = await connect(ann.token)
    expect(await annEvents.ok<Row>('documentGetByHash', { documentHash: secret.hash })).toMatchObject({ id: secret.id, name: 'secret' })
    expect(annEvents.pushes).toEqual([{ event: 'documentRefresh', data: [expect.objectContaining({ id: secret.id })] }])
    expect(failure(await call('documentGetByHash', { documentHash: secret.hash }, ben.token))).toEqual({ status: 403, message: `no access to document ${secret.id}` })
    expect(failure(await call('documentGetByHash', { documentHash: 'no-such-hash' }, ann.token))).toEqual({ status: 404, message: 'no document has hash no-such-hash' })
    expect(failure(await call('documentGetByHash', {}, ann.token)).message).toMatch(/^invalid input: documentHash/)
  })

  it('documentEdit applies the original’s edit rows and Quill deltas as one update attributed to the caller', async () => {
    const doc = await create(ann.token)
    const annEvents = await connect(ann.token)
    // The original's rows: insert, format (retain with attributes), delete, each at an offset in the text the previous rows left.
    const ops: DocumentEditOp[] = [
      { offset: 0, operationType: 0, span: 11, text: 'Hello world', attributes: null },
      { offset: 11, operationType: 0, span: 1, text: '\n', attributes: null },
      { offset: 6, operationType: 2, span: 5, text: null, attributes: { bold: true } },
      { offset: 5, operationType: 1, span: 1, text: null, attributes: null },
    ]
    expect(await annEvents.ok('documentEdit', { documentId: doc.id, studySessionId: null, studyStepId: null, ops })).toBeNull()
    expect(storedUpdates(doc.id)).toEqual([{ user_id: String(ann.userId) }])
    const deltas = await annEvents.ok<Delta>('documentGetDeltas', { documentId: doc.id })
    expect(deltas.ops).toEqual([{ insert: 'Hello' }, { insert: 'world', attributes: { bold: true } }, { insert: '\n' }])
    expect(annEvents.pushes).toContainEqual({ event: 'documentFileMerged', data: { document: expect.objectContaining({ id: doc.id }), deltas } })

    // A Quill delta, as Quill's text-change hands it over.
    await ok('documentEdit', { documentId: doc.id, delta: { ops: [{ retain: 5 }, { insert: ', ', attributes: { italic: true } }, { retain: 5, attributes: { bold: null } }] } }, adminToken)
    expect(storedUpdates(doc.id)).toEqual([{ user_id: String(ann.userId) }, { user_id: '1' }])
    expect((await ok<{ deltas: Delta }>('documentGet', { documentId: doc.id }, ann.token)).deltas.ops).toEqual([
      { insert: 'Hello' },
      { insert: ', ', attributes: { italic: true } },
      { insert: 'world\n' },
    ])

    // A row past the end changes nothing, not even the rows before it.
    const past = await call('documentEdit', { documentId: doc.id, ops: [{ offset: 0, operationType: 0, text: 'X' }, { offset: 99, operationType: 1, span: 1 }] }, ann.token)
    expect(failure(past)).toEqual({ status: 400, message: expect.stringMatching(/^invalid input: ops\.1\.offset: position 99 is past the end of the document \(length 14/) })
    expect(textOf(await ok<Delta>('documentGetDeltas', { documentId: doc.id }, ann.token))).toBe('Hello, world\n')
    expect(storedUpdates(doc.id)).toHaveLength(2)

    // Invalid inputs name the field.
    const invalid: [unknown, RegExp][] = [
      [{ documentId: doc.id }, /^invalid input: ops: send either ops/],
      [{ documentId: doc.id, ops: [{ offset: 0, operationType: 0, text: 'a' }], delta: { ops: [] } }, /^invalid input: ops: send either/],
      [{ documentId: doc.id, ops: [{ offset: 0, operationType: 0 }] }, /^invalid input: ops\.0\.text: an insert/],
      [{ documentId: doc.id, ops: [{ offset: 0, operationType: 1 }] }, /^invalid input: ops\.0\.span: /],
      [{ documentId: doc.id, ops: [{ offset: -1, operationType: 0, text: 'a' }] }, /^invalid input: ops\.0\.offset: /],
      [{ documentId: doc.id, ops: [{ offset: 0, operationType: 3, text: 'a' }] }, /^invalid input: ops\.0\.operationType: /],
      [{ documentId: doc.id, delta: { ops: [{ retain: 0 }] } }, /^invalid input: delta\.ops\.0/],
      [{ documentId: doc.id, delta: { ops: [{ insert: 'a' }] }, studyStepId: 2 }, /^invalid input: studyStepId: /],
    ]
    for (const [data, message] of invalid) expect(failure(await call('documentEdit', data, ann.token)).message).toMatch(message)
    expect(storedUpdates(doc.id)).toHaveLength(2)
  })

  it('documentEdit is for the owner and admins only, on HTML and MODAL documents', async () => {
    const open = await create(ann.token)
    await ok('documentPublish', { documentId: open.id }, ann.token)
    const secret = await create(ann.token)
    const edit = (documentId: number) => ({ documentId, delta: { ops: [{ insert: 'hi' }] } })
    expect(failure(await call('documentEdit', edit(open.id), ben.token))).toEqual({ status: 403, message: `only the owner of document ${open.id}, its editors and administrators may change its content` })
    expect(failure(await call('documentEdit', edit(secret.id), ben.token))).toEqual({ status: 403, message: `no access to document ${secret.id}` })
    expect(failure(await call('documentEdit', edit(999), ben.token))).toEqual({ status: 404, message: 'document 999 does not exist' })
    const pdf = await ok<{ doc: Row }>('documentAdd', { name: 'paper.pdf', file: pdfBytes.toString('base64') }, ann.token)
    expect(failure(await call('documentEdit', edit(pdf.doc.id), ann.token))).toEqual({ status: 400, message: `document ${pdf.doc.id} is a PDF: only HTML and MODAL documents have editable content` })
    expect(failure(await call('documentGetDeltas', { documentId: pdf.doc.id }, ann.token)).status).toBe(400)
    expect(storedUpdates(open.id)).toEqual([])
    await ok('documentEdit', edit(open.id), adminToken)
    expect(textOf(await ok<Delta>('documentGetDeltas', { documentId: open.id }, ben.token))).toBe('hi')
  })

  it('an RPC edit reaches a y-websocket client live, and concurrent edits from both converge', async () => {
    const doc = await create(ann.token)
    const provider = await syncedProvider(syncUrl(server), documentDocName(doc.id), { params: { token: ann.token } })
    const reader = await syncedProvider(syncUrl(server), documentDocName(doc.id), { params: { token: adminToken } })
    try {
      const text = contentText(provider.doc)
      await ok('documentEdit', { documentId: doc.id, ops: [{ offset: 0, operationType: 0, text: 'world\n' }] }, adminToken)
      await waitFor('the RPC edit on the sync client', () => text.toString() === 'world\n')

      // Concurrently: the client types at the end while an RPC inserts at the start.
      text.insert(5, '!', { bold: true })
      await ok('documentEdit', { documentId: doc.id, delta: { ops: [{ insert: 'Hello ' }] } }, ann.token)
      const expected = 'Hello world!\n'
      await waitFor('both edits on the first client', () => text.toString() === expected)
      await waitFor('both edits on the second client', () => contentText(reader.doc).toString() === expected)
      const onServer = await ok<Delta>('documentGetDeltas', { documentId: doc.id }, ann.token)
      expect(onServer.ops).toEqual(contentText(provider.doc).toDelta())
      expect(onServer.ops).toEqual([{ insert: 'Hello world' }, { insert: '!', attributes: { bold: true } }, { insert: '\n' }])
      // The RPC edits are stored as the callers' updates, the client's as its own.
      expect(storedUpdates(doc.id).map((update) => update.user_id)).toEqual(expect.arrayContaining(['1', String(ann.userId)]))
    } finally {
      closeProviders(provider, reader)
    }
  })

  it('documentAdd stores PDF bytes once by content hash and reads them back', async () => {
    const upload = (token: string, data: Record<string, unknown> = {}) => call<{ doc: Row; annotations: unknown[]; errors: unknown[] }>('documentAdd', { name: 'paper.pdf', file: pdfBytes.toString('base64'), ...data }, token)
    const first = await ok<{ doc: Row; annotations: unknown[]; errors: unknown[] }>('documentAdd', { name: 'paper.pdf', file: pdfBytes.toString('base64'), originalFilename: 'paper.pdf' }, ann.token)
    const hash = createHash('sha256').update(pdfBytes).digest('hex')
    expect(first).toEqual({
      doc: expect.objectContaining({ name: 'paper.pdf', type: 0, userId: ann.userId, fileHash: hash, fileSize: pdfBytes.byteLength, originalFilename: 'paper.pdf' }),
      annotations: [],
      // These bytes only start like a PDF: stored as they are, their annotations unread (test/server/pdfAnnotations.test.ts reads real ones).
      errors: ['the file could not be read as a PDF, so annotations it may hold were not imported; it is stored as uploaded'],
    })
    const second = await upload(ben.token)
    expect(second.body.success && second.body.data.doc).toMatchObject({ userId: ben.userId, fileHash: hash })

    const filesDir = join(live.dir, 'files')
    expect(readdirSync(filesDir)).toEqual([hash])
    for (const [token, id] of [[ann.token, first.doc.id], [ben.token, (second.body as { data: { doc: Row } }).data.doc.id]] as const) {
      const read = await ok<{ document: Row; file: string }>('documentGet', { documentId: id }, token)
      expect(Buffer.from(read.file, 'base64').equals(pdfBytes)).toBe(true)
      expect(read.document.id).toBe(id)
    }
    expect(failure(await call('documentGet', { documentId: first.doc.id }, ben.token)).status).toBe(403)

    // Refused uploads store nothing.
    expect(failure(await upload(ann.token, { file: Buffer.from('<html>not a pdf</html>').toString('base64') }))).toEqual({ status: 400, message: 'invalid input: file: not a PDF file (a PDF starts with "%PDF-")' })
    const tooBig = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(maxUploadBytes)])
    expect(failure(await upload(ann.token, { file: tooBig.toString('base64') }))).toEqual({ status: 400, message: `invalid input: file: the file has ${tooBig.byteLength} bytes; uploads may have at most ${maxUploadBytes} bytes` })
    expect(failure(await upload(ann.token, { file: 'not base64!' })).message).toMatch(/^invalid input: file: /)
    expect(failure(await upload(ann.token, { type: 1 })).message).toMatch(/^invalid input: type: an uploaded file is a PDF/)
    expect(failure(await upload(ann.token, { delta: { ops: [{ insert: 'x' }] } })).message).toMatch(/^invalid input: file: send either file/)
    expect(readdirSync(filesDir)).toEqual([hash])

    // Uploading for someone else is for admins, and the uploader is kept.
    expect(failure(await upload(ben.token, { userId: ann.userId }))).toEqual({ status: 403, message: 'only administrators may upload documents for another user' })
    const forAnn = await ok<{ doc: Row }>('documentAdd', { name: 'for ann', file: pdfBytes.toString('base64'), userId: ann.userId }, adminToken)
    expect(forAnn.doc).toMatchObject({ userId: ann.userId, uploadedByUserId: 1, fileHash: hash })
    expect(failure(await upload(adminToken, { userId: 999 }))).toEqual({ status: 404, message: 'user 999 does not exist' })
    // Clients cannot point a document at other bytes.
    expect(failure(await call('appDataUpdate', { table: 'document', data: { id: first.doc.id, fileHash: 'f'.repeat(64) } }, ann.token)).message).toMatch(/document\.fileHash cannot be written/)
  })

  it('documentAdd turns a Quill delta into an HTML or MODAL document with that content', async () => {
    const annEvents = await connect(ann.token)
    await annEvents.ok('subscribeAppData', { table: 'document' })
    const ops = [{ insert: 'Title', attributes: { header: 1 } }, { insert: '\nBody with ' }, { insert: { image: 'https://example.test/a.png' } }, { insert: '\n' }]
    const added = await annEvents.ok<{ doc: Row }>('documentAdd', { name: 'essay.delta', delta: { ops } })
    expect(added.doc).toMatchObject({ type: 1, userId: ann.userId, fileHash: null })
    await annEvents.waitForRow('document', 'the uploaded document', (row) => row.id === added.doc.id)
    expect((await ok<{ deltas: Delta }>('documentGet', { documentId: added.doc.id }, ann.token)).deltas).toEqual({ ops })
    expect(storedUpdates(added.doc.id)).toEqual([{ user_id: String(ann.userId) }])

    const modal = await ok<{ doc: Row }>('documentAdd', { name: 'modal', delta: { ops: [{ insert: 'Q?\n' }] }, type: 2 }, ann.token)
    expect(modal.doc.type).toBe(2)
    expect(failure(await call('documentAdd', { name: 'x', delta: { ops: [{ retain: 1 }] } }, ann.token)).message).toMatch(/^invalid input: delta\.ops\.0/)
    expect(failure(await call('documentAdd', { name: 'x', delta: { ops: [] }, type: 0 }, ann.token)).message).toMatch(/^invalid input: type: a delta makes/)
  })

  it('documentPublish and documentUpdate are for the owner and admins, and reach subscribers', async () => {
    const doc = await create(ann.token, { name: 'draft' })
    const benEvents = await connect(ben.token)
    await benEvents.ok('subscribeAppData', { table: 'document' })

    expect(failure(await call('documentPublish', { documentId: doc.id }, ben.token))).toEqual({ status: 403, message: `no access to document ${doc.id}` })
    expect(failure(await call('documentPublish', { documentId: 999 }, ann.token)).status).toBe(404)
    expect(failure(await call('documentPublish', {}, ann.token)).message).toMatch(/^invalid input: documentId/)
    expect(await ok<Row>('documentPublish', { documentId: doc.id }, ann.token)).toMatchObject({ id: doc.id, public: true })
    await benEvents.waitForRow('document', 'the published document', (row) => row.id === doc.id && row.public === true)

    // Readers of a public document still may not change it.
    expect(failure(await call('documentPublish', { documentId: doc.id }, ben.token)).status).toBe(403)
    expect(failure(await call('documentUpdate', { id: doc.id, name: 'mine' }, ben.token))).toEqual({ status: 403, message: `only the owner of document ${doc.id} and administrators may change it` })
    expect(failure(await call('documentUpdate', { id: doc.id, name: '' }, ann.token)).message).toMatch(/^invalid input: name/)
    expect(failure(await call('documentUpdate', { id: doc.id, userId: ben.userId }, ann.token)).message).toMatch(/userId/)
    expect(failure(await call('documentUpdate', { id: doc.id, parentDocumentId: doc.id }, ann.token)).message).toMatch(/^invalid input: parentDocumentId/)

    expect(await ok<Row>('documentUpdate', { id: doc.id, name: 'final', readyForReview: true }, ann.token)).toMatchObject({ name: 'final', readyForReview: true, public: true })
    await benEvents.waitForRow('document', 'the renamed document', (row) => row.id === doc.id && row.name === 'final')
    await ok('documentUpdate', { id: doc.id, hideInFrontend: true }, adminToken)
    await ok('documentUpdate', { id: doc.id, deleted: true }, ann.token)
    await benEvents.waitForRow('document', 'the deletion', (row) => row.id === doc.id && row.deleted === true)
    expect(failure(await call('documentGet', { documentId: doc.id }, ann.token)).status).toBe(404)
    expect(failure(await call('documentUpdate', { id: doc.id, deleted: false }, ann.token)).status).toBe(404)
  })

  it('documentGetAll answers and pushes the documents the caller may see', async () => {
    const annPrivate = await create(ann.token, { name: 'ann private' })
    const annPublic = await create(ann.token, { name: 'ann public' })
    await ok('documentPublish', { documentId: annPublic.id }, ann.token)
    const benOwn = await create(ben.token, { name: 'ben own' })
    const gone = await create(ben.token, { name: 'gone' })
    await ok('documentUpdate', { id: gone.id, deleted: true }, ben.token)

    const ids = (rows: Row[]) => rows.map((row) => row.id)
    const benEvents = await connect(ben.token)
    expect(ids(await benEvents.ok<Row[]>('documentGetAll'))).toEqual([annPublic.id, benOwn.id])
    expect(benEvents.pushes).toEqual([{ event: 'documentRefresh', data: [expect.objectContaining({ id: annPublic.id }), expect.objectContaining({ id: benOwn.id })] }])
    expect(ids(await ok<Row[]>('documentGetAll', {}, ann.token))).toEqual([annPrivate.id, annPublic.id])
    expect(ids(await ok<Row[]>('documentGetAll', {}, adminToken))).toEqual([annPrivate.id, annPublic.id, benOwn.id])
    expect(ids(await ok<Row[]>('documentGetAll', { userId: ann.userId }, adminToken))).toEqual([annPrivate.id, annPublic.id])
    expect(ids(await ok<Row[]>('documentGetAll', { userId: ann.userId }, ben.token))).toEqual([annPublic.id])
    expect(failure(await call('documentGetAll', { userId: 'ann' }, ben.token)).message).toMatch(/^invalid input: userId/)
  })

  it('documentSubscribe checks access and answers the docs to open over /sync; it needs the events socket', async () => {
    const doc = await create(ann.token)
    const benEvents = await connect(ben.token)
    expect(await benEvents.call('documentSubscribe', { documentId: doc.id })).toMatchObject({ success: false, message: `no access to document ${doc.id}` })
    expect(await benEvents.call('documentSubscribe', { documentId: 999 })).toMatchObject({ success: false, message: 'document 999 does not exist' })
    await ok('documentPublish', { documentId: doc.id }, ann.token)
    expect(await benEvents.ok('documentSubscribe', { documentId: doc.id })).toEqual({
      documentId: doc.id,
      contentDoc: `document:${doc.id}`,
      annotationsDoc: `annotations:${doc.id}`,
      canEdit: false,
    })
    // The subscription is the document's room: its annotation pushes reach ben until he leaves.
    const first = await ok<Row>('annotationUpdate', { documentId: doc.id, draft: false }, ann.token)
    await benEvents.waitForRow('annotation', 'an annotation of the subscribed document', (row) => row.id === first.id)
    expect(await benEvents.ok('documentUnsubscribe', { documentId: doc.id })).toBeNull()
    const second = await ok<Row>('annotationUpdate', { documentId: doc.id, draft: false }, ann.token)
    // A push sent before ben's next answer arrives before it.
    await benEvents.ok('documentOpen', { documentId: doc.id })
    expect(benEvents.rowsOf('annotation').map((row) => row.id)).not.toContain(second.id)
    expect(failure(await call('documentSubscribe', { documentId: doc.id }, ann.token)).message).toMatch(/needs the events websocket/)
    expect(failure(await call('documentUnsubscribe', { documentId: doc.id }, ann.token)).message).toMatch(/needs the events websocket/)
    expect((await benEvents.call('documentSubscribe', { documentId: -1 })) as Answer).toMatchObject({ success: false, message: expect.stringMatching(/^invalid input: documentId/) })
  })

  it('documentDataSave upserts per document and key; documentDataGet picks one key or a prefix', async () => {
    const doc = await create(ann.token)
    const annEvents = await connect(ann.token)
    const benEvents = await connect(ben.token)
    for (const events of [annEvents, benEvents]) await events.ok('subscribeAppData', { table: 'document_data' })

    const saved = await annEvents.ok<Row>('documentDataSave', { documentId: doc.id, key: 'nlpRequest_summary', value: { text: 'short', score: 0.5 } })
    expect(saved).toMatchObject({ documentId: doc.id, studySessionId: null, studyStepId: null, key: 'nlpRequest_summary', value: { text: 'short', score: 0.5 }, userId: ann.userId })
    const again = await annEvents.ok<Row>('documentDataSave', { documentId: doc.id, key: 'nlpRequest_summary', value: ['longer'] })
    expect(again).toMatchObject({ id: saved.id, value: ['longer'] })
    await annEvents.waitForRow('document_data', 'the upserted value', (row) => row.id === saved.id && Array.isArray(row.value))
    // Values within a study session are tested with the session's rules (studySessionDocs.test.ts).
    await annEvents.ok('documentDataSave', { documentId: doc.id, key: 'links', value: null })
    expect(readDb('SELECT id FROM document_data')).toHaveLength(2)

    expect(await annEvents.ok('documentDataGet', { documentId: doc.id })).toEqual({ nlpRequest_summary: ['longer'], links: null })
    expect(await annEvents.ok('documentDataGet', { documentId: doc.id, key: 'links' })).toEqual({ links: null })

    // Writing needs the owner or an admin; reading a public document's data needs only access.
    expect(failure(await call('documentDataSave', { documentId: doc.id, key: 'k', value: 1 }, ben.token))).toEqual({ status: 403, message: `no access to document ${doc.id}` })
    await ok('documentPublish', { documentId: doc.id }, ann.token)
    expect(failure(await call('documentDataSave', { documentId: doc.id, key: 'k', value: 1 }, ben.token)).status).toBe(403)
    expect(await ok('documentDataGet', { documentId: doc.id, key: 'links' }, ben.token)).toEqual({ links: null })
    expect(failure(await call('documentDataSave', { documentId: 999, key: 'k', value: 1 }, ann.token)).status).toBe(404)
    expect(failure(await call('documentDataSave', { documentId: doc.id, value: 1 }, ann.token)).message).toMatch(/^invalid input: key/)
    expect(failure(await call('documentDataSave', { documentId: doc.id, key: 'k' }, ann.token)).message).toMatch(/^invalid input: value/)
    // The synced table follows the same rule, and shows each user only their own rows.
    expect(failure(await call('appDataUpdate', { table: 'document_data', data: { documentId: doc.id, key: 'mine', value: 1 } }, ben.token))).toEqual({ status: 403, message: 'you may only add document_data rows to document rows you own' })
    const adminRow = await ok<Row>('documentDataSave', { documentId: doc.id, key: 'by admin', value: true }, adminToken)
    const later = await annEvents.ok<Row>('documentDataSave', { documentId: doc.id, key: 'later', value: 1 })
    // Pushes arrive in commit order: once ann has her later row, the admin's would have come.
    await annEvents.waitForRow('document_data', 'her later value', (row) => row.id === later.id)
    expect(benEvents.rowsOf('document_data')).toEqual([])
    expect(annEvents.rowsOf('document_data').map((row) => row.id)).not.toContain(adminRow.id)
  })

  it('documentGetData answers the content of HTML documents, and the tags for PDFs', async () => {
    const doc = await create(ann.token)
    await ok('documentEdit', { documentId: doc.id, delta: { ops: [{ insert: 'text\n' }] } }, ann.token)
    expect(await ok('documentGetData', { documentId: doc.id }, ann.token)).toEqual({ document: expect.objectContaining({ id: doc.id }), deltas: { ops: [{ insert: 'text\n' }] } })

    const pdf = await ok<{ doc: Row }>('documentAdd', { name: 'paper', file: pdfBytes.toString('base64') }, ann.token)
    const tagSetId = await ok<number>('appDataUpdate', { table: 'tag_set', data: { name: 'set', tags: [{ name: 'claim', colorCode: 'success' }] } }, ann.token)
    await ok('appDataUpdate', { table: 'tag_set', data: { name: 'ben private', tags: [{ name: 'hidden' }] } }, ben.token)
    const annEvents = await connect(ann.token)
    const answer = await annEvents.ok<{ document: Row; tags: Row[] }>('documentGetData', { documentId: pdf.doc.id })
    expect(answer.document.id).toBe(pdf.doc.id)
    expect(answer.tags).toEqual([expect.objectContaining({ name: 'claim', tagSetId })])
    expect(annEvents.pushes).toEqual([{ event: 'tagRefresh', data: answer.tags }])
  })
})

describe('document content edits (the original’s rows and Quill deltas on a Y.Text)', () => {
  const textWith = (initial: string) => {
    const doc = new Y.Doc()
    contentText(doc).insert(0, initial)
    return contentText(doc)
  }

  it('applies rows as the original composed them: each at its offset in the text the rows before it left', () => {
    // deltaToDb of: retain 6, insert "big ", retain 5 (bold), delete 1.
    const text = textWith('Hello world\n')
    applyEditOps(text, [
      { offset: 6, operationType: 0, text: 'big ', span: 4, attributes: null },
      { offset: 10, operationType: 2, span: 5, text: null, attributes: { bold: true } },
      { offset: 15, operationType: 1, span: 1, text: null, attributes: null },
    ])
    expect(text.toDelta()).toEqual([{ insert: 'Hello big ' }, { insert: 'world', attributes: { bold: true } }])
    // The same change as one Quill delta gives the same content.
    const viaDelta = textWith('Hello world\n')
    applyQuillDelta(viaDelta, [{ retain: 6 }, { insert: 'big ' }, { retain: 5, attributes: { bold: true } }, { delete: 1 }])
    expect(viaDelta.toDelta()).toEqual(text.toDelta())
  })

  it('inserts without attributes do not inherit the formatting around them, as in Quill', () => {
    const text = textWith('')
    text.insert(0, 'bold', { bold: true })
    applyEditOps(text, [{ offset: 4, operationType: 0, text: ' plain', attributes: null }])
    expect(text.toDelta()).toEqual([{ insert: 'bold', attributes: { bold: true } }, { insert: ' plain' }])
  })

  it('cuts spans that reach past the end (Quill’s final newline) and refuses ops that start past it', () => {
    const text = textWith('abc')
    applyQuillDelta(text, [{ retain: 4, attributes: { header: 1 } }])
    applyEditOps(text, [{ offset: 1, operationType: 1, span: 10 }])
    expect(text.toString()).toBe('a')
    expect(() => applyEditOps(text, [{ offset: 2, operationType: 0, text: 'x' }])).toThrow(/ops\.0\.offset: position 2 is past the end/)
    expect(() => applyQuillDelta(text, [{ retain: 2 }, { insert: 'x' }])).toThrow(/delta\.ops\.1: position 2 is past the end/)
    expect(text.toString()).toBe('a')
  })
})

describe('documents configuration', () => {
  it('keeps the file store next to the database unless told otherwise, and limits uploads', () => {
    const zipAndImportLimits = { maxZipEntries: 1000, maxZipUnpackedBytes: 100 << 20, maxImportedAnnotations: 2000 }
    expect(loadConfig({ FOLIO_DB: '/srv/folio/folio.db' }).documents).toEqual({ filesDir: '/srv/folio/files', maxUploadBytes: 10 << 20, ...zipAndImportLimits })
    expect(loadConfig({ FOLIO_FILES_DIR: '/data/files', FOLIO_MAX_UPLOAD_BYTES: '1000' }).documents).toEqual({ filesDir: '/data/files', maxUploadBytes: 1000, ...zipAndImportLimits })
    expect(() => loadConfig({ FOLIO_MAX_UPLOAD_BYTES: 'big' })).toThrow(ConfigError)
    expect(() => loadConfig({ FOLIO_MAX_UPLOAD_BYTES: '0' })).toThrow(/^FOLIO_MAX_UPLOAD_BYTES=/)
  })
})
