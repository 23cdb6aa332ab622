import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { annotationsDocName, documentDocName } from '../../schema/index.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { createStudy, studySteps, workflowId, workflowStepIds, writeDb } from '../helpers/studies.js'
import { parseCsvRecords } from '../helpers/csv.js'

type Row = Record<string, unknown> & { id: number }

const pdfBase64 = Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64')

/**
 * The participants' writing goes through the server's own doc-change path (`engine.transact`), one
 * stored update per keystroke attributed to them, as their clients' updates are (a stock client on a
 * session doc is in historyContext.test.ts); so many sockets would only slow the test down.
 */
describe('research export of a study', () => {
  const live = useEventsServer()
  const { connectUser } = live

  const download = async (path: string, token: string) => {
    const response = await fetch(`${live.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) }
  }

  it('exports every consenting participant’s writing, annotations and timings under stable pseudonyms', async () => {
    const tina = await connectUser('tina_owner')
    const students = [await connectUser('patricia_student'), await connectUser('susanna_student'), await connectUser('olga_noconsent')]
    const [pat, sue, olga] = students
    for (const student of [pat!, sue!]) writeDb(live.dbPath, 'UPDATE user SET accept_data_sharing = 1 WHERE id = ?', student.userId)
    const pdf = (await tina.events.ok<{ doc: Row }>('documentAdd', { name: 'paper.pdf', file: pdfBase64 })).doc.id
    const workflow = workflowId(live.dbPath, 'Peer Review Workflow')
    const [annotateStep] = workflowStepIds(live.dbPath, workflow)
    const studyId = await createStudy(tina.events, { name: 'Review', workflowId: workflow, anonymize: true, stepDocuments: [{ id: annotateStep, documentId: pdf }] })
    const steps = studySteps(live.dbPath, studyId)
    const editorDoc = steps[1]!.documentId as number

    const typed = ['Hello world', 'Second essay', 'Not to be exported']
    const sessions: number[] = []
    for (const [i, student] of students.entries()) {
      const session = await student!.events.ok<Row>('studySessionStart', { studyId })
      sessions.push(session.id)
      const as = { userId: String(student!.userId) }
      // Step 1: an annotation on the PDF, in the session's annotations doc.
      await live.server.engine.transact(annotationsDocName(pdf, session.id), as, (doc) =>
        doc.getMap('annotations').set(`a${i}`, new Y.Map<unknown>(Object.entries({ userId: student!.userId, text: `remark ${i}`, draft: false, anonymous: false }))),
      )
      await student!.events.ok('appDataUpdate', { table: 'study_session', data: { id: session.id, studyStepId: steps[1]!.id } })
      // Step 2: typing, one stored update per character, and one backspace.
      const text = typed[i]!
      for (let at = 0; at < text.length; at++) await live.server.engine.transact(documentDocName(editorDoc, session.id), as, (doc) => doc.getText('content').insert(at, text[at]!))
      await live.server.engine.transact(documentDocName(editorDoc, session.id), as, (doc) => doc.getText('content').delete(text.length - 1, 1))
    }
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: studyId, closed: true } })

    // Only the owner and the studies full-access right export; a participant does not.
    expect((await download(`/studies/${studyId}/export`, pat!.token)).status).toBe(403)
    const answer = await download(`/studies/${studyId}/export`, tina.token)
    expect(answer).toMatchObject({ status: 200, type: 'application/zip' })
    const files = Object.fromEntries(Object.entries(unzipSync(answer.bytes)).map(([path, bytes]) => [path, strFromU8(bytes)]))
    const folder = `study-${studyId}`

    // Olga did not accept data sharing: her session is not in it, nor anything she wrote.
    const study = JSON.parse(files[`${folder}/study.json`]!) as { sessions: Row[]; sessionsLeftOut: number; study: Row }
    expect(study.sessions.map((session) => [session.session, session.participant, session.userName])).toEqual([
      [sessions[0], 'P001', null],
      [sessions[1], 'P002', null],
    ])
    expect(study.sessionsLeftOut).toBe(1)
    expect(study.study).toMatchObject({ id: studyId, anonymize: true, owner: 'owner' })
    const everything = Object.values(files).join('\n')
    expect(everything).not.toContain('Not to be exported')
    expect(everything).not.toContain('remark 2')
    expect(Object.keys(files).some((path) => path.includes(`session-${sessions[2]}`))).toBe(false)
    // No account names anywhere, and no raw user id where a writer is named.
    for (const name of ['patricia_student', 'susanna_student', 'olga_noconsent', 'tina_owner']) expect(everything).not.toContain(name)

    for (const [i, session] of sessions.slice(0, 2).entries()) {
      const sessionFolder = `${folder}/session-${session}`
      const written = JSON.parse(files[`${sessionFolder}/document-${editorDoc}.json`]!) as { text: string; revisions: { userId: string; context: Row }[] }
      expect(written.text).toBe(typed[i]!.slice(0, -1))
      expect(new Set(written.revisions.map((r) => r.userId))).toEqual(new Set([`P00${i + 1}`]))
      expect(written.revisions.every((r) => r.context.studyStepId === steps[1]!.id)).toBe(true)
      const annotations = JSON.parse(files[`${sessionFolder}/annotations-${pdf}.json`]!) as { annotations: Row[] }
      expect(annotations.annotations).toEqual([expect.objectContaining({ id: `a${i}`, text: `remark ${i}`, userId: `P00${i + 1}`, creator_name: `P00${i + 1}` })])
      expect(parseCsvRecords(files[`${sessionFolder}/annotations-${pdf}.csv`]!)).toEqual([expect.objectContaining({ kind: 'annotation', text: `remark ${i}`, userId: `P00${i + 1}` })])
      const idfx = files[`${sessionFolder}/document-${editorDoc}.idfx`]!
      expect(idfx).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<log>\n {2}<meta>/)
      expect(idfx).toContain(`<entry><key>Participant</key><value>P00${i + 1}</value></entry>`)
      expect(idfx.match(/<event type="keyboard"/g)).toHaveLength(typed[i]!.length + 1)
      expect(idfx).toContain('<part type="wordlog"><position>0</position><documentLength>1</documentLength><replay>True</replay></part>')
      expect(idfx).toContain(`<key>VK_BACK</key><value>&#x8;</value>`)
    }

    // One event row per keystroke and backspace, in order, with the text each one typed or deleted.
    const events = parseCsvRecords(files[`${folder}/events.csv`]!)
    const patEvents = events.filter((row) => row.writer === 'P001')
    expect(patEvents.map((row) => row.text).join('')).toBe(`${typed[0]}${typed[0]!.at(-1)}`)
    expect(patEvents.at(-1)).toMatchObject({ operation: 'delete', position: String(typed[0]!.length - 1), documentLength: String(typed[0]!.length - 1), session: String(sessions[0]), step: String(steps[1]!.id) })
    expect(patEvents[3]).toMatchObject({ operation: 'insert', position: '3', documentLength: '4', text: 'l' })
    expect(Number(patEvents[1]!.pauseMs)).toBeGreaterThanOrEqual(0)
    expect(events.some((row) => row.writer === 'P003')).toBe(false)
    const timings = parseCsvRecords(files[`${folder}/timings.csv`]!)
    expect(timings.filter((row) => row.participant === 'P001').map((row) => [row.step, row.changes])).toEqual([
      [String(steps[0]!.id), '1'],
      [String(steps[1]!.id), String(typed[0]!.length + 1)],
    ])

    // The same export again: the same pseudonyms.
    const again = unzipSync((await download(`/studies/${studyId}/export`, tina.token)).bytes)
    expect(JSON.parse(strFromU8(again[`${folder}/study.json`]!)).sessions).toEqual(study.sessions)

    // One document's history in the same formats, for whoever may read it.
    const single = await download(`/documents/${editorDoc}/history/export?studySessionId=${sessions[0]}&format=events`, pat!.token)
    expect(single.status).toBe(200)
    expect(parseCsvRecords(strFromU8(single.bytes)).map((row) => row.text).join('')).toBe(`${typed[0]}${typed[0]!.at(-1)}`)
    const idfx = await download(`/documents/${editorDoc}/history/export?studySessionId=${sessions[0]}&format=idfx`, pat!.token)
    expect(idfx.type).toBe('application/xml; charset=utf-8')
    expect((await download(`/documents/${editorDoc}/history/export?studySessionId=${sessions[0]}&format=events`, olga!.token)).status).toBe(403)
  })

  it('exports a collaborative study’s shared doc once, each change under its writer’s own session and step', async () => {
    const tina = await connectUser('tina_owner')
    const [pat, sue, olga] = [await connectUser('patricia_student'), await connectUser('susanna_student'), await connectUser('olga_noconsent')]
    for (const student of [pat, sue]) writeDb(live.dbPath, 'UPDATE user SET accept_data_sharing = 1 WHERE id = ?', student.userId)
    const studyId = await createStudy(tina.events, { name: 'Together', workflowId: workflowId(live.dbPath, 'Ruhr-Uni Bochum Project'), collab: true, anonymize: true })
    const steps = studySteps(live.dbPath, studyId)
    const essay = steps[0]!.documentId as number
    const sessions = [] as number[]
    for (const student of [olga, pat, sue]) sessions.push((await student.events.ok<Row>('studySessionStart', { studyId })).id)
    // Everyone writes into the first session's doc, the one the study shares.
    const shared = documentDocName(essay, sessions[0]!)
    const write = (student: { userId: number }, text: string) => live.server.engine.transact(shared, { userId: String(student.userId) }, (doc) => doc.getText('content').insert(doc.getText('content').length, text))
    await write(olga, 'O')
    await write(pat, 'P')
    await sue.events.ok('appDataUpdate', { table: 'study_session', data: { id: sessions[2], studyStepId: steps[1]!.id } })
    await write(sue, 'S')

    const answer = await download(`/studies/${studyId}/export`, tina.token)
    const files = Object.fromEntries(Object.entries(unzipSync(answer.bytes)).map(([path, bytes]) => [path, strFromU8(bytes)]))
    const folder = `study-${studyId}`
    expect(Object.keys(files).filter((path) => path.endsWith(`document-${essay}.json`))).toEqual([`${folder}/session-${sessions[0]}/document-${essay}.json`])
    // Olga's session comes first, so Pat and Sue are P002 and P003; her change is left out, her letter stays in the shared text.
    const events = parseCsvRecords(files[`${folder}/events.csv`]!)
    expect(events.map((row) => [row.writer, row.session, row.step, row.text])).toEqual([
      ['P002', String(sessions[1]), String(steps[0]!.id), 'P'],
      ['P003', String(sessions[2]), String(steps[1]!.id), 'S'],
    ])
    expect(JSON.parse(files[`${folder}/session-${sessions[0]}/document-${essay}.json`]!)).toMatchObject({ text: 'OPS' })
    const timings = parseCsvRecords(files[`${folder}/timings.csv`]!)
    expect(timings.map((row) => [row.session, row.participant, row.step, row.changes])).toEqual([
      [String(sessions[1]), 'P002', String(steps[0]!.id), '1'],
      [String(sessions[2]), 'P003', String(steps[1]!.id), '1'],
    ])
  })
})
