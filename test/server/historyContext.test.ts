import { describe, expect, it } from 'vitest'
import { annotationsDocName, documentDocName } from '../../schema/index.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { queryDb } from '../helpers/rooms.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { syncUrl } from '../helpers/server.js'
import { createStudy, studySteps, workflowId } from '../helpers/studies.js'

type Row = Record<string, unknown> & { id: number }
interface Revision {
  fromSeq: number
  toSeq: number
  userId: string
  context: { studySessionId: number; studyStepId: number | null } | null
  changes: { name: string; kind: string }[]
}

/**
 * Session docs written both ways: through the server's own doc-change path (`engine.transact`,
 * attributed like an RPC edit) and by a stock y-websocket client under the study scoping's grant.
 */
describe('histories of study session docs', () => {
  const live = useEventsServer()
  const { connectUser } = live

  const history = async (path: string, token: string) => {
    const response = await fetch(`${live.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: response.status, body: (await response.json()) as { success: boolean; data: { revisions: Revision[] }; message?: string } }
  }

  it('records the session and the step it was on in every stored update, and shows them per revision', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const olga = await connectUser('olga')
    const studyId = await createStudy(tina.events, { name: 'Revision', workflowId: workflowId(live.dbPath, 'Ruhr-Uni Bochum Project') })
    const steps = studySteps(live.dbPath, studyId)
    const documentId = steps[0]!.documentId as number
    const session = await pat.events.ok<Row>('studySessionStart', { studyId })
    await olga.events.ok<Row>('studySessionStart', { studyId })
    const sessionDoc = documentDocName(documentId, session.id)

    await live.server.engine.transact(sessionDoc, { userId: String(pat.userId) }, (doc) => doc.getText('content').insert(0, 'Hello'))
    await live.server.engine.transact(annotationsDocName(documentId, session.id), { userId: String(pat.userId) }, (doc) => doc.getMap('annotations').set('a1', 'first'))
    await pat.events.ok('appDataUpdate', { table: 'study_session', data: { id: session.id, studyStepId: steps[1]!.id } })
    await live.server.engine.transact(sessionDoc, { userId: String(pat.userId) }, (doc) => doc.getText('content').insert(5, ' world'))

    const stored = queryDb(live.dbPath, 'SELECT seq, context FROM doc_update WHERE doc_id = ? ORDER BY seq', sessionDoc) as { seq: number; context: string }[]
    expect(stored.map((row) => JSON.parse(row.context))).toEqual([
      { studySessionId: session.id, studyStepId: steps[0]!.id },
      { studySessionId: session.id, studyStepId: steps[1]!.id },
    ])
    // Outside a session nothing is added.
    await live.server.engine.transact(documentDocName(documentId), { userId: String(tina.userId) }, (doc) => doc.getText('content').insert(0, 'Base'))
    expect(queryDb(live.dbPath, 'SELECT context FROM doc_update WHERE doc_id = ?', documentDocName(documentId))).toEqual([{ context: null }])

    // A minute's grouping joins one writer's changes, but never across a step.
    const page = await history(`/documents/${documentId}/history?studySessionId=${session.id}&groupMs=60000`, pat.token)
    expect(page.status).toBe(200)
    expect(page.body.data.revisions.map((r) => [r.fromSeq, r.toSeq, r.userId, r.context])).toEqual([
      [1, 1, String(pat.userId), { studySessionId: session.id, studyStepId: steps[0]!.id }],
      [2, 2, String(pat.userId), { studySessionId: session.id, studyStepId: steps[1]!.id }],
    ])
    const annotations = await history(`/documents/${documentId}/annotations/history?studySessionId=${session.id}`, pat.token)
    expect(annotations.body.data.revisions).toEqual([
      expect.objectContaining({ context: { studySessionId: session.id, studyStepId: steps[0]!.id }, changes: [{ name: 'annotations', kind: 'map', keys: { a1: { action: 'add', value: 'first' } } }] }),
    ])

    // The study's owner reads every session; another participant of a study that is not collaborative does not.
    expect((await history(`/documents/${documentId}/history?studySessionId=${session.id}`, tina.token)).status).toBe(200)
    const refused = await history(`/documents/${documentId}/history?studySessionId=${session.id}`, olga.token)
    expect(refused).toMatchObject({ status: 403, body: { message: `no access to study session ${session.id}` } })
    // A document that is not one of the session's study's.
    const other = await history(`/documents/${documentId + 100}/history?studySessionId=${session.id}`, tina.token)
    expect(other.status).toBe(404)
  })

  it('records the step of a stock y-websocket client’s edits to its session doc as the session moves on', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const studyId = await createStudy(tina.events, { name: 'Revision', workflowId: workflowId(live.dbPath, 'Ruhr-Uni Bochum Project') })
    const steps = studySteps(live.dbPath, studyId)
    const documentId = steps[0]!.documentId as number
    const session = await pat.events.ok<Row>('studySessionStart', { studyId })
    const docName = documentDocName(documentId, session.id)
    const client = await syncedProvider(syncUrl(live.server), docName, { params: { token: pat.token } })
    try {
      const text = client.doc.getText('content')
      const stored = (length: number) => waitFor('the typing to be stored', () => live.server.engine.inspect(docName)?.unstoredUpdates === 0 && live.server.engine.inspect(docName)!.doc.getText('content').length === length)
      text.insert(0, 'Draft')
      await stored(5)
      await pat.events.ok('appDataUpdate', { table: 'study_session', data: { id: session.id, studyStepId: steps[1]!.id } })
      text.insert(5, ' two')
      await stored(9)
    } finally {
      closeProviders(client)
    }
    const page = await history(`/documents/${documentId}/history?studySessionId=${session.id}&groupMs=60000`, pat.token)
    expect(page.body.data.revisions.map((r) => [r.userId, r.context])).toEqual([
      [String(pat.userId), { studySessionId: session.id, studyStepId: steps[0]!.id }],
      [String(pat.userId), { studySessionId: session.id, studyStepId: steps[1]!.id }],
    ])
  })
})
