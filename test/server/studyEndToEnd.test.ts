import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { annotationsDocName, documentDocName } from '../../schema/index.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { syncUrl } from '../helpers/server.js'
import { writeDb } from '../helpers/studies.js'
import { answerText, closeCode, peerReviewStudy, serverText } from '../helpers/studySessions.js'

type Row = Record<string, unknown> & { id: number }

const textOf = (provider: WebsocketProvider) => provider.doc.getText('content').toString()

describe('a peer-review study from start to close, with real clients', () => {
  const live = useEventsServer()
  const { connectUser } = live

  it('runs three students through annotating and writing in their own session copies, one of them offline for a while, and exports what the consenting ones did under pseudonyms', async () => {
    // 1. A teacher creates a project and a study from the seeded peer-review workflow.
    const teacher = await connectUser('teacher_tanaka')
    const projectId = await teacher.events.ok<number>('appDataUpdate', { table: 'project', data: { name: 'Seminar' } })
    const { pdf, studyId, annotateStep, writeStep, editorDocument } = await peerReviewStudy(teacher.events, live.dbPath, { projectId, anonymize: true })

    // 2. Three students start sessions.
    const names = ['ada_lovelace', 'ben_franklin', 'cyd_charisse']
    const students = await Promise.all(names.map((name) => connectUser(name)))
    // Ben does not accept data sharing: the export leaves him out.
    for (const student of [students[0]!, students[2]!]) writeDb(live.dbPath, 'UPDATE user SET accept_data_sharing = 1 WHERE id = ?', student.userId)
    const sessions: number[] = []
    for (const student of students) sessions.push((await student.events.ok<Row>('studySessionStart', { studyId })).id)
    const url = syncUrl(live.server)

    // 3a. Each annotates the PDF in step 1: over y-websocket into the session's annotations doc, and a comment through RPC.
    const notes = students.map((_, i) => annotationsDocName(pdf, sessions[i]!))
    const annotationIds = students.map(() => crypto.randomUUID())
    const annotators = await Promise.all(students.map((student, i) => syncedProvider(url, notes[i]!, { params: { token: student.token } })))
    for (const [i, annotator] of annotators.entries()) {
      const entry = new Y.Map<unknown>()
      for (const [field, value] of Object.entries({ userId: students[i]!.userId, text: `claim ${i}`, draft: false, deleted: false, selectors: null, tagId: null })) entry.set(field, value)
      annotator.doc.getMap('annotations').set(annotationIds[i]!, entry)
    }
    for (const [i, student] of students.entries()) {
      await waitFor(`student ${i}'s annotation on the server`, () => live.server.engine.read(notes[i]!, (doc) => doc.getMap('annotations').has(annotationIds[i]!)))
      await student.events.ok('commentUpdate', { documentId: pdf, studySessionId: sessions[i], studyStepId: annotateStep, annotationId: annotationIds[i], text: `because ${i}`, draft: false })
    }
    closeProviders(...annotators)

    // 3b. Each moves to step 2 and writes in their own copy of the editor step's document.
    for (const [i, student] of students.entries()) await student.events.ok('appDataUpdate', { table: 'study_session', data: { id: sessions[i], studyStepId: writeStep } })
    const texts = students.map((_, i) => documentDocName(editorDocument, sessions[i]!))
    const writers = await Promise.all(students.map((student, i) => syncedProvider(url, texts[i]!, { params: { token: student.token } })))
    writers[0]!.doc.getText('content').insert(0, 'Ada reviews.')
    writers[1]!.doc.getText('content').insert(0, 'Ben reviews.')
    writers[2]!.doc.getText('content').insert(0, 'Cyd: ')
    await waitFor('every review on the server', () => ['Ada reviews.', 'Ben reviews.', 'Cyd: '].every((text, i) => serverText(live.server, texts[i]!) === text))

    // 4. Cyd goes offline and keeps writing; a second tab of hers writes meanwhile; she comes back and both merge.
    const cyd = writers[2]!
    cyd.disconnect()
    cyd.doc.getText('content').insert(cyd.doc.getText('content').length, 'written offline.')
    const secondTab = await syncedProvider(url, texts[2]!, { params: { token: students[2]!.token } })
    secondTab.doc.getText('content').insert(0, '[tab] ')
    await waitFor('the tab’s edit on the server', () => serverText(live.server, texts[2]!) === '[tab] Cyd: ')
    expect(textOf(cyd)).toBe('Cyd: written offline.')
    cyd.connect()
    const merged = '[tab] Cyd: written offline.'
    await waitFor('the offline edits merged', () => serverText(live.server, texts[2]!) === merged && textOf(cyd) === merged && textOf(secondTab) === merged)

    // No student can open another's session docs.
    for (const [i, student] of students.entries()) {
      for (const [j] of students.entries()) {
        if (i === j) continue
        expect(await closeCode(live.server, texts[j]!, student.token)).toBe(4403)
        expect(await closeCode(live.server, notes[j]!, student.token)).toBe(4403)
      }
    }

    // 5. The teacher closes the study; the sessions become read-only for their students.
    await teacher.events.ok('appDataUpdate', { table: 'study', data: { id: studyId, closed: true } })
    expect(await students[0]!.events.call('documentEdit', { documentId: editorDocument, studySessionId: sessions[0], studyStepId: writeStep, delta: { ops: [{ insert: 'late' }] } })).toMatchObject({
      success: false,
      message: expect.stringContaining('is closed'),
    })

    // Every student's text and annotations, as the teacher reads them; the study's own documents stay untouched.
    const expected = ['Ada reviews.', 'Ben reviews.', merged]
    for (const [i] of students.entries()) {
      const scope = { studySessionId: sessions[i], studyStepId: writeStep }
      expect(answerText(await teacher.events.ok('documentGet', { documentId: editorDocument, ...scope }))).toBe(expected[i])
      const annotations = await teacher.events.ok<Row[]>('annotationGetByDocument', { documentId: pdf, studySessionId: sessions[i] })
      expect(annotations).toEqual([expect.objectContaining({ id: annotationIds[i], text: `claim ${i}`, userId: students[i]!.userId })])
      const comments = await teacher.events.ok<Row[]>('commentGetByDocument', { documentId: pdf, studySessionId: sessions[i] })
      expect(comments).toEqual([expect.objectContaining({ annotationId: annotationIds[i], text: `because ${i}`, studySessionId: sessions[i], studyStepId: annotateStep })])
    }
    expect(serverText(live.server, documentDocName(editorDocument))).toBe('')
    expect(await teacher.events.ok('annotationGetByDocument', { documentId: pdf })).toEqual([])

    // The teacher exports the study: what Ada and Cyd typed and annotated, under pseudonyms by first session (Ben's P002 is left out with him).
    const response = await fetch(`${live.server.url}/studies/${studyId}/export`, { headers: { authorization: `Bearer ${teacher.token}` } })
    expect(response.status).toBe(200)
    const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(await response.arrayBuffer()))).map(([path, bytes]) => [path, strFromU8(bytes)]))
    const folder = `study-${studyId}`
    const exported = JSON.parse(files[`${folder}/study.json`]!) as { sessions: Row[]; sessionsLeftOut: number }
    expect(exported.sessions.map((row) => [row.session, row.participant, row.userName])).toEqual([
      [sessions[0], 'P001', null],
      [sessions[2], 'P003', null],
    ])
    expect(exported.sessionsLeftOut).toBe(1)
    for (const [i, pseudonym] of [[0, 'P001'], [2, 'P003']] as const) {
      const sessionFolder = `${folder}/session-${sessions[i]}`
      expect((JSON.parse(files[`${sessionFolder}/document-${editorDocument}.json`]!) as { text: string }).text).toBe(expected[i])
      const notesExport = JSON.parse(files[`${sessionFolder}/annotations-${pdf}.json`]!) as { annotations: Row[] }
      expect(notesExport.annotations).toEqual([
        expect.objectContaining({ id: annotationIds[i], text: `claim ${i}`, userId: pseudonym, comments: [expect.objectContaining({ text: `because ${i}`, userId: pseudonym })] }),
      ])
    }
    const everything = Object.values(files).join('\n')
    for (const hidden of ['Ben reviews.', 'claim 1', 'because 1', ...names, 'teacher_tanaka']) expect(everything).not.toContain(hidden)
    closeProviders(...writers, secondTab)
  })
})
