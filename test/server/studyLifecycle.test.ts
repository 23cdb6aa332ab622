import { describe, expect, it } from 'vitest'
import { documentType, stepType } from '../../schema/index.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { queryDb } from '../helpers/rooms.js'
import { addSession, createStudy, studySteps, workflowId, workflowStepIds } from '../helpers/studies.js'

type Row = Record<string, unknown> & { id: number }

const pdfBase64 = Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64')

describe('the study lifecycle through appDataUpdate', () => {
  const live = useEventsServer()
  const { connectUser } = live

  const addText = async (events: EventsConnection, name: string, text: string) =>
    (await events.ok<{ doc: Row }>('documentAdd', { name, delta: { ops: [{ insert: `${text}\n` }] } })).doc.id
  const textOf = async (events: EventsConnection, documentId: number) => (await events.ok<{ deltas: { ops: { insert: string }[] } }>('documentGet', { documentId })).deltas.ops.map((op) => op.insert).join('')
  const documentRow = (id: number) =>
    (queryDb(live.dbPath, 'SELECT name, type, user_id AS userId, parent_document_id AS parentDocumentId, hide_in_frontend AS hidden FROM document WHERE id = ?', id) as Row[])[0]
  const updatesOf = (documentId: number) => queryDb(live.dbPath, 'SELECT user_id AS userId FROM doc_update WHERE doc_id = ?', `document:${documentId}`)
  const studyRow = (id: number) =>
    (queryDb(live.dbPath, 'SELECT id, name, closed, user_id_closed AS userIdClosed, parent_study_id AS parentStudyId, created_by_user_id AS createdBy, deleted FROM study WHERE id = ?', id) as Row[])[0]!
  const counts = () => queryDb(live.dbPath, 'SELECT (SELECT count(*) FROM study) AS studies, (SELECT count(*) FROM study_step) AS steps, (SELECT count(*) FROM document) AS documents')

  it('creates the steps of a workflow: editor and modal steps get hidden documents, copies forked from their source as one attributed change', async () => {
    const tina = await connectUser('tina')
    await tina.events.ok('subscribeAppData', { table: 'study_step' })
    const source = await addText(tina.events, 'Essay', 'Hello world')
    const workflow = workflowId(live.dbPath, 'Ruhr-Uni Bochum Project')
    const [first, second] = workflowStepIds(live.dbPath, workflow)
    const studyId = await createStudy(tina.events, { name: 'Revision', workflowId: workflow, stepDocuments: [{ id: first, documentId: source }, { id: second, configuration: { skill: 'diff' } }] })

    const steps = studySteps(live.dbPath, studyId)
    expect(steps.map((step) => step.stepType)).toEqual([stepType.editor, stepType.modal, stepType.editor, stepType.modal])
    expect(steps.map((step) => step.previous)).toEqual([null, steps[0]!.id, steps[1]!.id, steps[2]!.id])
    expect(steps.map((step) => step.studyStepDocument)).toEqual([null, null, steps[0]!.id, null])
    expect(JSON.parse(steps[1]!.configuration as string)).toEqual({ skill: 'diff' })
    const [copy, modal, continued] = steps.map((step) => step.documentId as number)
    expect(documentRow(copy!)).toEqual({ name: 'Essay_study', type: documentType.html, userId: tina.userId, parentDocumentId: source, hidden: 1 })
    expect(documentRow(modal!)).toEqual({ name: `Document Study ${studyId}`, type: documentType.modal, userId: tina.userId, parentDocumentId: null, hidden: 1 })
    expect(documentRow(continued!)).toMatchObject({ name: `Document Study ${studyId}`, type: documentType.html })
    // The copy is the source's state, and the step that continues step 1 starts from that copy; each is one change by the creator.
    expect(await textOf(tina.events, copy!)).toBe('Hello world\n')
    expect(await textOf(tina.events, continued!)).toBe('Hello world\n')
    expect(await textOf(tina.events, modal!)).toBe('')
    expect(updatesOf(copy!)).toEqual([{ userId: String(tina.userId) }])
    expect(updatesOf(continued!)).toEqual([{ userId: String(tina.userId) }])
    expect(studyRow(studyId)).toMatchObject({ createdBy: tina.userId, parentStudyId: null, closed: null })
    await tina.events.waitForRow('study_step', 'the last step', (row) => row.id === steps[3]!.id)
  })

  it('keeps the PDF of an annotator step, refuses documents that do not fit or are not the caller’s, and writes nothing when a step fails', async () => {
    const tina = await connectUser('tina')
    const olga = await connectUser('olga')
    const pdf = (await tina.events.ok<{ doc: Row }>('documentAdd', { name: 'paper.pdf', file: pdfBase64 })).doc.id
    const text = await addText(tina.events, 'Notes', 'notes')
    const secret = await addText(olga.events, 'Secret', 'olga only')
    const workflow = workflowId(live.dbPath, 'Peer Review Workflow')
    const [annotate, write] = workflowStepIds(live.dbPath, workflow)
    const studyId = await createStudy(tina.events, { name: 'Review', workflowId: workflow, stepDocuments: [{ id: annotate, documentId: pdf }] })
    const steps = studySteps(live.dbPath, studyId)
    expect(steps[0]).toMatchObject({ stepType: stepType.annotator, documentId: pdf })
    expect(steps[1]).toMatchObject({ stepType: stepType.editor, studyStepDocument: steps[0]!.id })
    // The editor step continues a PDF step, which has no text: its document starts empty.
    expect(await textOf(tina.events, steps[1]!.documentId as number)).toBe('')

    const before = counts()
    const refusals = [
      [[{ id: annotate, documentId: text }], 'cannot be used in a step of type 1'],
      [[{ id: annotate, documentId: pdf }, { id: write, documentId: pdf }], 'cannot be used in a step of type 2'],
      [[{ id: annotate, documentId: pdf }, { id: write, documentId: secret }], `no access to document ${secret}`],
      [[{ id: annotate, documentId: pdf }, { id: 999_999 }], 'has no step 999999'],
      [[{ id: annotate, documentId: pdf }, { id: annotate }], `names step ${annotate} twice`],
    ] as const
    for (const [stepDocuments, message] of refusals) {
      const answer = await tina.events.call('appDataUpdate', { table: 'study', data: { name: 'Bad', workflowId: workflow, stepDocuments } })
      expect(answer).toMatchObject({ success: false, message: expect.stringContaining(message) })
    }
    expect(await tina.events.call('appDataUpdate', { table: 'study', data: { name: 'No steps', workflowId: workflow } })).toMatchObject({
      success: false,
      message: expect.stringContaining('data.stepDocuments: required'),
    })
    expect(counts()).toEqual(before)
  })

  it('versions an open study on edit, closes and deletes studies with their steps and sessions', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const workflow = workflowId(live.dbPath, 'Annotation Workflow')
    const original = await createStudy(tina.events, { name: 'Round 1', workflowId: workflow, limitSessions: 3, end: Date.parse('2030-01-01T00:00:00Z') })
    const session = addSession(live.dbPath, original, pat.userId)
    await pat.events.ok('subscribeAppData', { table: 'study' })

    const version = await tina.events.ok<number>('appDataUpdate', { table: 'study', data: { id: original, name: 'Round 2', stepDocuments: [] } })
    expect(version).not.toBe(original)
    expect(studyRow(original)).toMatchObject({ name: 'Round 1', closed: expect.any(Number), userIdClosed: tina.userId })
    expect(studyRow(version)).toMatchObject({ name: 'Round 2', closed: null, parentStudyId: original, createdBy: tina.userId })
    expect(queryDb(live.dbPath, 'SELECT limit_sessions AS limitSessions, "end" FROM study WHERE id = ?', version)).toEqual([{ limitSessions: 3, end: Date.parse('2030-01-01T00:00:00Z') }])
    expect(studySteps(live.dbPath, version)).toHaveLength(1)
    expect(studySteps(live.dbPath, original)).toHaveLength(1)
    // The participant of the old version hears that it closed; the session stays with it.
    await pat.events.waitForRow('study', 'the closed version', (row) => row.id === original && row.closed !== null)
    expect(queryDb(live.dbPath, 'SELECT study_id AS studyId FROM study_session WHERE id = ?', session)).toEqual([{ studyId: original }])

    // A closed study's steps no longer change; others may not version it at all.
    expect(await tina.events.call('appDataUpdate', { table: 'study', data: { id: original, stepDocuments: [] } })).toMatchObject({ success: false, message: expect.stringContaining('is closed') })
    expect(await pat.events.call('appDataUpdate', { table: 'study', data: { id: version, stepDocuments: [] } })).toMatchObject({ success: false, message: expect.stringContaining('does not exist') })

    // closed: true as clients send it, and false to reopen.
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: version, closed: true } })
    expect(studyRow(version)).toMatchObject({ closed: expect.any(Number), userIdClosed: tina.userId })
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: version, closed: false } })
    expect(studyRow(version)).toMatchObject({ closed: null, userIdClosed: null })

    // Deleting the old version deletes its steps and sessions, and the participant learns of both.
    await pat.events.ok('subscribeAppData', { table: 'study_session' })
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: original, deleted: true } })
    await pat.events.waitForRow('study_session', 'the deleted session', (row) => row.id === session && row.deleted === true)
    expect(queryDb(live.dbPath, 'SELECT deleted FROM study_step WHERE study_id = ?', original)).toEqual([{ deleted: 1 }])
    expect(queryDb(live.dbPath, 'SELECT deleted FROM study_session WHERE id = ?', session)).toEqual([{ deleted: 1 }])
  })

  it('closes projects with closed: true', async () => {
    const tina = await connectUser('tina')
    const projectId = await tina.events.ok<number>('appDataUpdate', { table: 'project', data: { name: 'Seminar' } })
    await tina.events.ok('appDataUpdate', { table: 'project', data: { id: projectId, closed: true } })
    expect(queryDb(live.dbPath, 'SELECT closed FROM project WHERE id = ?', projectId)).toEqual([{ closed: expect.any(Number) }])
  })
})
