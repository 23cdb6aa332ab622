import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { annotationsDocName, documentDocName } from '../../schema/index.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { queryDb } from '../helpers/rooms.js'
import { syncUrl } from '../helpers/server.js'
import { createStudy, studySteps, workflowId, workflowStepIds, writeDb } from '../helpers/studies.js'
import { answerText, closeCode, nextClose, peerReviewStudy, serverEntries, serverText } from '../helpers/studySessions.js'

type Row = Record<string, unknown> & { id: number }

describe('study session documents', () => {
  const live = useEventsServer()
  const { connectUser, connectAdmin } = live

  const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })
  const startIn = async (events: EventsConnection, studyId: number) => (await events.ok<Row>('studySessionStart', { studyId })).id
  const moveTo = (events: EventsConnection, id: number, studyStepId: number) => events.ok('appDataUpdate', { table: 'study_session', data: { id, studyStepId } })
  const updatesOf = (docName: string) => queryDb(live.dbPath, 'SELECT user_id AS userId FROM doc_update WHERE doc_id = ?', docName)
  const entry = (userId: number, text: string) => {
    const map = new Y.Map<unknown>()
    map.set('userId', userId)
    map.set('text', text)
    return map
  }

  it('forks an editor step’s session copy once, when the session enters the step; a step continuing an earlier one starts from that step’s session text', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const source = (await tina.events.ok<{ doc: Row }>('documentAdd', { name: 'Essay', delta: { ops: [{ insert: 'Draft\n' }] } })).doc.id
    const workflow = workflowId(live.dbPath, 'Ruhr-Uni Bochum Project')
    const studyId = await createStudy(tina.events, { name: 'Revision', workflowId: workflow, stepDocuments: [{ id: workflowStepIds(live.dbPath, workflow)[0], documentId: source }] })
    const steps = studySteps(live.dbPath, studyId)
    const [first, modal, third] = steps.map((step) => ({ id: step.id, documentId: step.documentId as number }))
    const session = await startIn(pat.events, studyId)
    const firstDoc = documentDocName(first!.documentId, session)
    expect(serverText(live.server, firstDoc)).toBe('Draft\n')
    // The given text is the owner's, in the session's history too.
    expect(updatesOf(firstDoc)).toEqual([{ userId: String(tina.userId) }])

    const scoped = (step: { id: number; documentId: number }) => ({ documentId: step.documentId, studySessionId: session, studyStepId: step.id })
    await pat.events.ok('documentEdit', { ...scoped(first!), delta: { ops: [{ retain: 5 }, { insert: ' revised' }] } })
    expect(answerText(await pat.events.ok('documentGet', scoped(first!)))).toBe('Draft revised\n')
    // The study's own copy and its source stay as they were; the owner editing the copy later does not reach the session.
    expect(answerText(await tina.events.ok('documentGet', { documentId: first!.documentId }))).toBe('Draft\n')
    await tina.events.ok('documentEdit', { documentId: first!.documentId, delta: { ops: [{ insert: 'Teacher: ' }] } })
    expect(answerText(await pat.events.ok('documentGet', scoped(first!)))).toBe('Draft revised\n')
    expect(updatesOf(firstDoc)).toEqual([{ userId: String(tina.userId) }, { userId: String(pat.userId) }])

    // The third step continues the first: it starts as the session's text of the first step, not the study's copy.
    expect(await pat.events.call('documentGet', scoped(third!))).toMatchObject(refused('has not reached the step'))
    await moveTo(pat.events, session, modal!.id)
    await moveTo(pat.events, session, third!.id)
    expect(serverText(live.server, documentDocName(third!.documentId, session))).toBe('Draft revised\n')
    expect(updatesOf(documentDocName(third!.documentId, session))).toEqual([{ userId: String(pat.userId) }])
  })

  it('starts a copy once under concurrent first uses', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const source = (await tina.events.ok<{ doc: Row }>('documentAdd', { name: 'Essay', delta: { ops: [{ insert: 'Draft\n' }] } })).doc.id
    const workflow = workflowId(live.dbPath, 'Ruhr-Uni Bochum Project')
    const studyId = await createStudy(tina.events, { name: 'Revision', workflowId: workflow, stepDocuments: [{ id: workflowStepIds(live.dbPath, workflow)[0], documentId: source }] })
    const first = studySteps(live.dbPath, studyId)[0]!
    // A session whose entry fork never ran (as if the server stopped right after its commit).
    const now = Date.now()
    const session = writeDb(
      live.dbPath,
      'INSERT INTO study_session (hash, study_id, user_id, study_step_id, study_step_id_max, start, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      crypto.randomUUID(),
      studyId,
      pat.userId,
      first.id,
      first.id,
      now,
      now,
      now,
    )
    const scope = { documentId: first.documentId, studySessionId: session, studyStepId: first.id }
    const answers = await Promise.all([1, 2, 3, 4].map(() => pat.events.ok<{ deltas: { ops: { insert: unknown }[] } }>('documentGet', scope)))
    expect(answers.map(answerText)).toEqual(['Draft\n', 'Draft\n', 'Draft\n', 'Draft\n'])
    expect(updatesOf(documentDocName(first.documentId as number, session))).toHaveLength(1)
  })

  it('lets participants open their own session’s docs once reached, the owner read them, and refuses everyone else with 4403', async () => {
    const tina = await connectUser('tina')
    const [pat, olga, eve] = [await connectUser('pat'), await connectUser('olga'), await connectUser('eve')]
    const { pdf, studyId, writeStep, editorDocument } = await peerReviewStudy(tina.events, live.dbPath)
    const patSession = await startIn(pat.events, studyId)
    await startIn(olga.events, studyId)
    const patNotes = annotationsDocName(pdf, patSession)

    const mine = await syncedProvider(syncUrl(live.server), patNotes, { params: { token: pat.token } })
    mine.doc.getMap('annotations').set('a1', entry(pat.userId, 'mine'))
    await waitFor('the participant’s annotation on the server', () => serverEntries(live.server, patNotes).includes('a1'))
    expect(await closeCode(live.server, patNotes, olga.token)).toBe(4403)
    expect(await closeCode(live.server, patNotes, eve.token)).toBe(4403)
    // The editor step's copy opens once the session reaches the step.
    expect(await closeCode(live.server, documentDocName(editorDocument, patSession), pat.token)).toBe(4403)
    await moveTo(pat.events, patSession, writeStep)
    const writing = await syncedProvider(syncUrl(live.server), documentDocName(editorDocument, patSession), { params: { token: pat.token } })
    writing.doc.getText('content').insert(0, 'My review')
    await waitFor('the review on the server', () => serverText(live.server, documentDocName(editorDocument, patSession)) === 'My review')
    expect(await closeCode(live.server, documentDocName(editorDocument, patSession), olga.token)).toBe(4403)
    // A PDF has no content doc, in a session or out of it.
    expect(await closeCode(live.server, documentDocName(pdf, patSession), pat.token)).toBe(4403)

    // The owner reads every session; what they send is dropped.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const owner = await syncedProvider(syncUrl(live.server), patNotes, { params: { token: tina.token } })
    expect(owner.doc.getMap('annotations').has('a1')).toBe(true)
    owner.doc.getMap('annotations').set('t1', entry(tina.userId, 'teacher'))
    await waitFor('permission-denied for the owner', () => warn.mock.calls.flat().join(' ').includes('Permission denied'))
    expect(serverEntries(live.server, patNotes)).toEqual(['a1'])
    warn.mockRestore()

    // Participants open the study's documents themselves (the PDF and the step's hidden document) to work on them.
    expect(await pat.events.call('documentGet', { documentId: pdf })).toMatchObject({ success: true })
    expect(await eve.events.call('documentGet', { documentId: pdf })).toMatchObject(refused(`no access to document ${pdf}`))
    closeProviders(mine, writing, owner)
  })

  it('shows participants the documents of their study’s steps in the live document table, and nobody else', async () => {
    const tina = await connectUser('tina')
    const [pat, eve] = [await connectUser('pat'), await connectUser('eve')]
    const { pdf, studyId, editorDocument } = await peerReviewStudy(tina.events, live.dbPath)
    await startIn(pat.events, studyId)
    for (const { events } of [pat, eve]) await events.ok('subscribeAppData', { table: 'document' })
    await pat.events.waitForRow('document', 'the study’s PDF', (row) => row.id === pdf)
    await pat.events.waitForRow('document', 'the editor step’s document', (row) => row.id === editorDocument)
    const own = await eve.events.ok<Row>('documentCreate', { name: 'eve own' })
    await eve.events.waitForRow('document', 'her own document', (row) => row.id === own.id)
    expect(eve.events.rowsOf('document').map((row) => row.id)).toEqual([own.id])
  })

  it('checks a call’s session, step and document before it reads or writes the session’s docs', async () => {
    const tina = await connectUser('tina')
    const [pat, olga] = [await connectUser('pat'), await connectUser('olga')]
    const { pdf, studyId, annotateStep } = await peerReviewStudy(tina.events, live.dbPath)
    const other = await peerReviewStudy(tina.events, live.dbPath)
    const patSession = await startIn(pat.events, studyId)
    const scope = { documentId: pdf, studySessionId: patSession, studyStepId: annotateStep }

    // Both participants and the owner follow the PDF's room; the session's entries reach only who may open the session.
    await startIn(olga.events, studyId)
    for (const events of [pat.events, olga.events, tina.events]) await events.ok('documentSubscribe', { documentId: pdf })
    const created = await pat.events.ok<Row>('annotationUpdate', { ...scope, text: 'in my session', draft: false })
    expect(created).toMatchObject({ studySessionId: patSession, studyStepId: annotateStep, text: 'in my session' })
    await pat.events.waitForRow('annotation', 'the session’s annotation', (row) => row.id === created.id && row.studySessionId === patSession)
    await tina.events.waitForRow('annotation', 'the session’s annotation', (row) => row.id === created.id)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(olga.events.rowsOf('annotation')).toEqual([])
    expect(serverEntries(live.server, annotationsDocName(pdf, patSession))).toContain(created.id)
    expect(serverEntries(live.server, annotationsDocName(pdf))).toEqual([])
    expect((await pat.events.ok<Row[]>('annotationGetByDocument', scope)).map((row) => row.id)).toEqual([created.id])
    expect(await pat.events.ok<Row[]>('annotationGetByDocument', { documentId: pdf })).toEqual([])

    expect(await olga.events.call('annotationGetByDocument', scope)).toMatchObject(refused(`no access to study session ${patSession}`))
    expect(await olga.events.call('annotationUpdate', { ...scope, text: 'intrusion' })).toMatchObject(refused(`no access to study session ${patSession}`))
    expect(await pat.events.call('annotationGetByDocument', { ...scope, studyStepId: other.annotateStep })).toMatchObject(refused('is not a step of the study'))
    expect(await pat.events.call('annotationGetByDocument', { ...scope, documentId: other.pdf })).toMatchObject(refused('is not used by the study'))
    expect(await pat.events.call('annotationGetByDocument', { ...scope, studySessionId: 999_999 })).toMatchObject(refused('study session 999999 does not exist'))
    expect(await pat.events.call('annotationGetByDocument', { documentId: pdf, studyStepId: annotateStep })).toMatchObject(refused('send studySessionId too'))
    // The owner reads the session but does not write in it.
    expect((await tina.events.ok<Row[]>('annotationGetByDocument', scope)).map((row) => row.id)).toEqual([created.id])
    expect(await tina.events.call('commentUpdate', { ...scope, annotationId: created.id, text: 'feedback' })).toMatchObject(refused('you may only read it'))
  })

  it('keeps a session’s document data apart: its participant writes it, and reads it over the document’s own values', async () => {
    const tina = await connectUser('tina')
    const [pat, olga] = [await connectUser('pat'), await connectUser('olga')]
    const { studyId, writeStep, editorDocument } = await peerReviewStudy(tina.events, live.dbPath)
    const patSession = await startIn(pat.events, studyId)
    await moveTo(pat.events, patSession, writeStep)
    const scope = { documentId: editorDocument, studySessionId: patSession, studyStepId: writeStep }
    await tina.events.ok('documentDataSave', { documentId: editorDocument, key: 'links', value: ['base'] })
    await tina.events.ok('documentDataSave', { documentId: editorDocument, key: 'grade', value: null })
    const saved = await pat.events.ok<Row>('documentDataSave', { ...scope, key: 'links', value: ['mine'] })
    expect(saved).toMatchObject({ studySessionId: patSession, studyStepId: writeStep, userId: pat.userId })
    expect(await pat.events.ok('documentDataGet', scope)).toEqual({ links: ['mine'], grade: null })
    expect(await pat.events.ok('documentDataGet', { ...scope, key: 'li', partialMatch: true })).toEqual({ links: ['mine'] })
    expect(await pat.events.call('documentDataSave', { documentId: editorDocument, key: 'links', value: 1 })).toMatchObject(refused('only the owner'))
    expect(await olga.events.call('documentDataSave', { ...scope, key: 'links', value: 1 })).toMatchObject(refused(`no access to study session ${patSession}`))
  })

  it('makes a closed study’s session docs read-only on open sockets, and closes a deleted session’s with 4403', async () => {
    const tina = await connectUser('tina')
    const [pat, olga] = [await connectUser('pat'), await connectUser('olga')]
    const { pdf, studyId, annotateStep } = await peerReviewStudy(tina.events, live.dbPath)
    const [patSession, olgaSession] = [await startIn(pat.events, studyId), await startIn(olga.events, studyId)]
    const patNotes = annotationsDocName(pdf, patSession)
    const patProvider = await syncedProvider(syncUrl(live.server), patNotes, { params: { token: pat.token } })
    const olgaProvider = await syncedProvider(syncUrl(live.server), annotationsDocName(pdf, olgaSession), { params: { token: olga.token } })

    const olgaClosed = nextClose(olgaProvider)
    await olga.events.ok('appDataUpdate', { table: 'study_session', data: { id: olgaSession, deleted: true } })
    expect(await olgaClosed).toBe(4403)

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: studyId, closed: true } })
    await waitFor('permission-denied after closing', () => warn.mock.calls.flat().join(' ').includes('Permission denied'))
    patProvider.doc.getMap('annotations').set('late', entry(pat.userId, 'too late'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(serverEntries(live.server, patNotes)).toEqual([])
    warn.mockRestore()
    expect(await pat.events.call('annotationUpdate', { documentId: pdf, studySessionId: patSession, studyStepId: annotateStep, text: 'late' })).toMatchObject(refused('is closed'))
    expect(await pat.events.call('annotationGetByDocument', { documentId: pdf, studySessionId: patSession })).toMatchObject({ success: true })
    closeProviders(patProvider, olgaProvider)
  })

  it('shares one session doc in a collaborative study: two participants type at once and converge; outsiders are refused', async () => {
    const tina = await connectUser('tina')
    const [pat, olga, eve] = [await connectUser('pat'), await connectUser('olga'), await connectUser('eve')]
    const { studyId, writeStep, editorDocument } = await peerReviewStudy(tina.events, live.dbPath, { collab: true })
    const [patSession, olgaSession] = [await startIn(pat.events, studyId), await startIn(olga.events, studyId)]
    await moveTo(pat.events, patSession, writeStep)
    await moveTo(olga.events, olgaSession, writeStep)
    const shared = documentDocName(editorDocument, patSession)
    const opened = await olga.events.ok<{ contentDoc: string }>('documentOpen', { documentId: editorDocument, studySessionId: olgaSession, studyStepId: writeStep })
    expect(opened.contentDoc).toBe(shared)

    const [a, b] = [await syncedProvider(syncUrl(live.server), shared, { params: { token: pat.token } }), await syncedProvider(syncUrl(live.server), shared, { params: { token: olga.token } })]
    for (let i = 0; i < 20; i++) {
      a.doc.getText('content').insert(a.doc.getText('content').length, 'p')
      b.doc.getText('content').insert(0, 'o')
    }
    await waitFor('both replicas to converge', () => a.doc.getText('content').toString() === b.doc.getText('content').toString() && a.doc.getText('content').length === 40)
    expect(serverText(live.server, shared)).toBe(a.doc.getText('content').toString())
    // Calls in either participant's session land in the shared doc.
    await olga.events.ok('documentEdit', { documentId: editorDocument, studySessionId: olgaSession, studyStepId: writeStep, delta: { ops: [{ insert: '!' }] } })
    await waitFor('the call’s edit in both replicas', () => a.doc.getText('content').toString().startsWith('!') && b.doc.getText('content').length === 41)
    expect(answerText(await pat.events.ok('documentGet', { documentId: editorDocument, studySessionId: patSession, studyStepId: writeStep }))).toBe(a.doc.getText('content').toString())

    expect(await closeCode(live.server, shared, eve.token)).toBe(4403)
    expect(await closeCode(live.server, documentDocName(editorDocument, olgaSession), olga.token)).toBe(4403)
    expect(await eve.events.call('documentGet', { documentId: editorDocument, studySessionId: patSession })).toMatchObject(refused('no access to study session'))
    closeProviders(a, b)
  })

  it('lets the studies full-access right read and follow every session, and stops pushing to a follower who lost it', async () => {
    const tina = await connectUser('tina')
    const [pat, paul, mentor] = [await connectUser('pat'), await connectUser('paul'), await connectUser('mentor')]
    const admin = await connectAdmin()
    const [mentorRole] = queryDb(live.dbPath, "SELECT id FROM user_role WHERE name = 'mentor'") as { id: number }[]
    const matching = await admin.ok<number>('appDataUpdate', { table: 'user_role_matching', data: { userId: mentor.userId, userRoleId: mentorRole!.id } })
    const { pdf, studyId } = await peerReviewStudy(tina.events, live.dbPath)
    await mentor.events.ok('studySessionSubscribe', { studyId })
    const first = await startIn(pat.events, studyId)
    await mentor.events.waitForRow('study_session', 'the first session', (row) => row.id === first)
    // The studies full-access right reads every session, as the owner does.
    const patNotes = { documentId: pdf, studySessionId: first }
    expect(await mentor.events.call('annotationGetByDocument', patNotes)).toMatchObject({ success: true })

    await admin.ok('appDataUpdate', { table: 'user_role_matching', data: { id: matching, deleted: true } })
    expect(await mentor.events.call('annotationGetByDocument', patNotes)).toMatchObject(refused(`no access to study session ${first}`))
    const second = await startIn(paul.events, studyId)
    await tina.events.ok('studySessionSubscribe', { studyId })
    const third = await startIn(pat.events, studyId)
    await tina.events.waitForRow('study_session', 'the third session', (row) => row.id === third)
    expect(mentor.events.rowsOf('study_session').map((row) => row.id)).toEqual([first])
    expect(second).toBeGreaterThan(first)
  })

  it('deletes a project’s studies with their steps and sessions, whose docs close', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const projectId = await tina.events.ok<number>('appDataUpdate', { table: 'project', data: { name: 'Seminar' } })
    const { pdf, studyId } = await peerReviewStudy(tina.events, live.dbPath, { projectId })
    const session = await startIn(pat.events, studyId)
    const provider = await syncedProvider(syncUrl(live.server), annotationsDocName(pdf, session), { params: { token: pat.token } })
    const closed = nextClose(provider)
    await tina.events.ok('appDataUpdate', { table: 'project', data: { id: projectId, deleted: true } })
    expect(await closed).toBe(4403)
    expect(queryDb(live.dbPath, 'SELECT deleted FROM study WHERE id = ?', studyId)).toEqual([{ deleted: 1 }])
    expect(queryDb(live.dbPath, 'SELECT DISTINCT deleted FROM study_step WHERE study_id = ?', studyId)).toEqual([{ deleted: 1 }])
    expect(queryDb(live.dbPath, 'SELECT deleted FROM study_session WHERE id = ?', session)).toEqual([{ deleted: 1 }])
    closeProviders(provider)
  })
})
