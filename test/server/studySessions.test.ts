import { describe, expect, it } from 'vitest'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { queryDb } from '../helpers/rooms.js'
import { createStudy, studySteps, workflowId, workflowStepIds, writeDb } from '../helpers/studies.js'

type Row = Record<string, unknown> & { id: number }

const hour = 3_600_000

describe('study sessions, templates and bulk closing', () => {
  const live = useEventsServer()
  const { connectUser, connectAdmin } = live

  const annotation = () => workflowId(live.dbPath, 'Annotation Workflow')
  const start = (events: EventsConnection, studyId: number) => events.call<Row>('studySessionStart', { studyId })
  const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })
  /** A call on the same socket: every push of an earlier commit reached it before this answer. */
  const barrier = (events: EventsConnection) => events.ok('subscribeAppData', { table: 'workflow', filter: [{ key: 'id', value: 0 }] })

  it('starts a session at the first step and pushes it to the owner', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const studyId = await createStudy(tina.events, { name: 'Study', workflowId: workflowId(live.dbPath, 'Peer Review Workflow') })
    await tina.events.ok('subscribeAppData', { table: 'study_session' })
    const before = Date.now()
    const session = await pat.events.ok<Row>('studySessionStart', { studyId })
    const first = studySteps(live.dbPath, studyId)[0]!.id
    expect(session).toMatchObject({ studyId, userId: pat.userId, studyStepId: first, studyStepIdMax: first })
    expect(Date.parse(session.start as string)).toBeGreaterThanOrEqual(before)
    await tina.events.waitForRow('study_session', 'the new session', (row) => row.id === session.id)
    // The participant now sees the study and its steps.
    await pat.events.ok('subscribeAppData', { table: 'study' })
    expect(pat.events.rowsOf('study').map((row) => row.id)).toEqual([studyId])
  })

  it('refuses a session in a closed study, a template, before start and after end', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const closed = await createStudy(tina.events, { name: 'Closed', workflowId: annotation() })
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: closed, closed: true } })
    expect(await start(pat.events, closed)).toMatchObject(refused('is closed'))
    const template = await createStudy(tina.events, { name: 'Template', workflowId: annotation(), template: true })
    expect(await start(pat.events, template)).toMatchObject(refused('is a template'))
    const later = await createStudy(tina.events, { name: 'Later', workflowId: annotation(), start: Date.now() + hour })
    expect(await start(pat.events, later)).toMatchObject(refused('starts at'))
    const over = await createStudy(tina.events, { name: 'Over', workflowId: annotation(), end: Date.now() - hour })
    expect(await start(pat.events, over)).toMatchObject(refused('ended at'))
    const open = await createStudy(tina.events, { name: 'Open', workflowId: annotation(), start: Date.now() - hour, end: Date.now() + hour })
    expect(await start(pat.events, open)).toMatchObject({ success: true })
    expect(await start(pat.events, 999_999)).toMatchObject(refused('does not exist'))
  })

  it('refuses a session beyond limitSessions', async () => {
    const tina = await connectUser('tina')
    const [pat, paul] = [await connectUser('pat'), await connectUser('paul')]
    const studyId = await createStudy(tina.events, { name: 'Two places', workflowId: annotation(), limitSessions: 2 })
    expect(await start(pat.events, studyId)).toMatchObject({ success: true })
    expect(await start(paul.events, studyId)).toMatchObject({ success: true })
    expect(await start(tina.events, studyId)).toMatchObject(refused('has all the 2 sessions'))
    expect(queryDb(live.dbPath, 'SELECT count(*) AS n FROM study_session WHERE study_id = ?', studyId)).toEqual([{ n: 2 }])
  })

  it('refuses a session beyond limitSessionsPerUser, counting each participant apart', async () => {
    const tina = await connectUser('tina')
    const [pat, paul] = [await connectUser('pat'), await connectUser('paul')]
    const studyId = await createStudy(tina.events, { name: 'Once each', workflowId: annotation(), limitSessionsPerUser: 1 })
    expect(await start(pat.events, studyId)).toMatchObject({ success: true })
    expect(await start(pat.events, studyId)).toMatchObject(refused('you have all the 1 sessions'))
    expect(await start(paul.events, studyId)).toMatchObject({ success: true })
  })

  it('restarts only your own session', async () => {
    const tina = await connectUser('tina')
    const [pat, olga] = [await connectUser('pat'), await connectUser('olga')]
    const studyId = await createStudy(tina.events, { name: 'Study', workflowId: annotation() })
    const session = await pat.events.ok<Row>('studySessionStart', { studyId })
    // The original restarted anyone's session by id.
    expect(await olga.events.call('studySessionStart', { studySessionId: session.id })).toMatchObject(refused('your own study session'))
    expect(await tina.events.call('studySessionStart', { studySessionId: session.id })).toMatchObject(refused('your own study session'))
    expect(queryDb(live.dbPath, 'SELECT start FROM study_session WHERE id = ?', session.id)).toEqual([{ start: Date.parse(session.start as string) }])
    await new Promise((resolve) => setTimeout(resolve, 5))
    const restarted = await pat.events.ok<Row>('studySessionStart', { studySessionId: session.id })
    expect(Date.parse(restarted.start as string)).toBeGreaterThan(Date.parse(session.start as string))
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: studyId, closed: true } })
    expect(await pat.events.call('studySessionStart', { studySessionId: session.id })).toMatchObject(refused('is closed'))
    expect(await pat.events.call('studySessionStart', { studyId, studySessionId: session.id })).toMatchObject(refused('either studyId'))
  })

  it('moves a session to the next step, back only where the step allows it, counting steps and the furthest one', async () => {
    const tina = await connectUser('tina')
    const [pat, olga] = [await connectUser('pat'), await connectUser('olga')]
    const move = (events: EventsConnection, id: number, data: Record<string, unknown>) => events.call('appDataUpdate', { table: 'study_session', data: { id, ...data } })
    const sessionRow = (id: number) =>
      (queryDb(live.dbPath, 'SELECT study_step_id AS step, study_step_id_max AS furthest, number_steps AS count, "end" FROM study_session WHERE id = ?', id) as Row[])[0]

    const review = await createStudy(tina.events, { name: 'Review', workflowId: workflowId(live.dbPath, 'Peer Review Workflow') })
    const [annotate, write] = studySteps(live.dbPath, review).map((step) => step.id)
    const session = (await pat.events.ok<Row>('studySessionStart', { studyId: review })).id
    expect(await move(olga.events, session, { studyStepId: write })).toMatchObject(refused('does not exist'))
    expect(await move(pat.events, session, { studyStepId: write })).toMatchObject({ success: true })
    expect(sessionRow(session)).toMatchObject({ step: write, furthest: write, count: 1 })
    // The writing step allows going back; the furthest step stays.
    expect(await move(pat.events, session, { studyStepId: annotate })).toMatchObject({ success: true })
    expect(sessionRow(session)).toMatchObject({ step: annotate, furthest: write, count: 2 })
    const end = Date.now()
    expect(await move(pat.events, session, { studyStepId: write, end })).toMatchObject({ success: true })
    expect(sessionRow(session)).toMatchObject({ step: write, count: 3, end })

    const revision = await createStudy(tina.events, { name: 'Revision', workflowId: workflowId(live.dbPath, 'Ruhr-Uni Bochum Project') })
    const steps = studySteps(live.dbPath, revision).map((step) => step.id)
    const other = (await pat.events.ok<Row>('studySessionStart', { studyId: revision })).id
    expect(await move(pat.events, other, { studyStepId: steps[2] })).toMatchObject(refused('is not the next step'))
    expect(await move(pat.events, other, { studyStepId: annotate })).toMatchObject(refused(`has no step ${annotate}`))
    expect(await move(pat.events, other, { studyStepId: steps[1] })).toMatchObject({ success: true })
    expect(await move(pat.events, other, { studyStepId: steps[0] })).toMatchObject(refused('is not the next step'))
    expect(sessionRow(other)).toMatchObject({ step: steps[1], count: 1 })

    // No step changes once the study is closed, or has ended without taking multiple submissions.
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: revision, closed: true } })
    expect(await move(pat.events, other, { studyStepId: steps[2] })).toMatchObject(refused('is closed'))
    const ended = await createStudy(tina.events, { name: 'Ending', workflowId: workflowId(live.dbPath, 'Peer Review Workflow') })
    const late = (await pat.events.ok<Row>('studySessionStart', { studyId: ended })).id
    writeDb(live.dbPath, 'UPDATE study SET "end" = ? WHERE id = ?', Date.now() - hour, ended)
    expect(await move(pat.events, late, { studyStepId: studySteps(live.dbPath, ended)[1]!.id })).toMatchObject(refused('has ended'))
  })

  it('lets the owner and the full-access right follow a study’s sessions, and no one else', async () => {
    const tina = await connectUser('tina')
    const [pat, paul, mentor] = [await connectUser('pat'), await connectUser('paul'), await connectUser('mentor')]
    const admin = await connectAdmin()
    const [mentorRole] = queryDb(live.dbPath, "SELECT id FROM user_role WHERE name = 'mentor'") as { id: number }[]
    await admin.ok('appDataUpdate', { table: 'user_role_matching', data: { userId: mentor.userId, userRoleId: mentorRole!.id } })
    const studyId = await createStudy(tina.events, { name: 'Study', workflowId: workflowId(live.dbPath, 'Peer Review Workflow') })
    const first = await pat.events.ok<Row>('studySessionStart', { studyId })

    // The original never awaited this check, so anyone could follow any study.
    expect(await pat.events.call('studySessionSubscribe', { studyId })).toMatchObject(refused('only the owner'))
    expect(await tina.events.ok('studySessionSubscribe', { studyId })).toBeNull()
    expect(tina.events.pushes.at(-1)).toEqual({ event: 'study_sessionRefresh', data: [expect.objectContaining({ id: first.id })] })
    await mentor.events.ok('studySessionSubscribe', { studyId })

    const second = await paul.events.ok<Row>('studySessionStart', { studyId })
    await tina.events.waitForRow('study_session', 'the follower’s push', (row) => row.id === second.id)
    await mentor.events.waitForRow('study_session', 'the follower’s push', (row) => row.id === second.id)
    await barrier(pat.events)
    expect(pat.events.rowsOf('study_session').map((row) => row.id)).not.toContain(second.id)

    // Every later write of a session reaches the followers too: a step change, a deletion.
    const [, next] = studySteps(live.dbPath, studyId).map((step) => step.id)
    await paul.events.ok('appDataUpdate', { table: 'study_session', data: { id: second.id, studyStepId: next ?? second.studyStepId } })
    await tina.events.waitForRow('study_session', 'the moved session', (row) => row.id === second.id && row.numberSteps === 1)
    await pat.events.ok('appDataUpdate', { table: 'study_session', data: { id: first.id, deleted: true } })
    await mentor.events.waitForRow('study_session', 'the deleted session', (row) => row.id === first.id && row.deleted === true)

    await tina.events.ok('studySessionUnsubscribe', { studyId })
    const third = await paul.events.ok<Row>('studySessionStart', { studyId })
    await mentor.events.waitForRow('study_session', 'the follower’s push', (row) => row.id === third.id)
    await barrier(tina.events)
    expect(tina.events.rowsOf('study_session').map((row) => row.id)).not.toContain(third.id)
  })

  it('saves a study as a template with its steps and documents, for its owner only; onlyTemplate makes one from data', async () => {
    const tina = await connectUser('tina')
    const olga = await connectUser('olga')
    const source = (await tina.events.ok<{ doc: Row }>('documentAdd', { name: 'Essay', delta: { ops: [{ insert: 'Draft\n' }] } })).doc.id
    const workflow = workflowId(live.dbPath, 'Ruhr-Uni Bochum Project')
    const studyId = await createStudy(tina.events, { name: 'Revision', workflowId: workflow, timeLimit: 30, stepDocuments: [{ id: workflowStepIds(live.dbPath, workflow)[0], documentId: source }] })

    expect(await olga.events.call('studySaveAsTemplate', { id: studyId })).toMatchObject(refused('only the owner'))
    const template = await tina.events.ok<Row>('studySaveAsTemplate', { id: studyId })
    expect(template).toMatchObject({ name: 'Revision', template: true, timeLimit: 30, userId: tina.userId, closed: null })
    const steps = studySteps(live.dbPath, template.id)
    expect(steps.map((step) => step.stepType)).toEqual(studySteps(live.dbPath, studyId).map((step) => step.stepType))
    const text = await tina.events.ok<{ deltas: { ops: { insert: string }[] } }>('documentGet', { documentId: steps[0]!.documentId })
    expect(text.deltas.ops).toEqual([{ insert: 'Draft\n' }])

    const fromData = await olga.events.ok<Row>('studySaveAsTemplate', { onlyTemplate: true, templateData: { name: 'Blank', workflowId: annotation() } })
    expect(fromData).toMatchObject({ name: 'Blank', template: true, userId: olga.userId })
    expect(studySteps(live.dbPath, fromData.id)).toHaveLength(1)
    expect(await olga.events.call('studySaveAsTemplate', { onlyTemplate: true })).toMatchObject(refused('templateData'))
  })

  it('closes the caller’s studies of a project one by one with progress; the close-all right closes everyone’s', async () => {
    const tina = await connectUser('tina')
    const olga = await connectUser('olga')
    const admin = await connectAdmin()
    const projectId = await tina.events.ok<number>('appDataUpdate', { table: 'project', data: { name: 'Seminar', public: true } })
    const open = await createStudy(tina.events, { name: 'Open', workflowId: annotation(), projectId })
    const closedAlready = await createStudy(tina.events, { name: 'Closed', workflowId: annotation(), projectId })
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: closedAlready, closed: true } })
    const olgas = await createStudy(olga.events, { name: 'Olga', workflowId: annotation(), projectId })
    const closedAt = () => Object.fromEntries((queryDb(live.dbPath, 'SELECT id, closed FROM study WHERE project_id = ?', projectId) as { id: number; closed: number | null }[]).map((row) => [row.id, row.closed]))
    const before = closedAt()

    expect(await tina.events.ok('studyCloseBulk', { projectId, progressId: 'bar' })).toEqual({ closed: [open] })
    expect(tina.events.pushes.filter((push) => push.event === 'progressUpdate')).toEqual([{ event: 'progressUpdate', data: { id: 'bar', current: 1, total: 1 } }])
    expect(closedAt()).toMatchObject({ [open]: expect.any(Number), [closedAlready]: before[closedAlready], [olgas]: null })
    expect(await tina.events.ok('studyCloseBulk', { projectId, ignoreClosedState: true })).toEqual({ closed: [open, closedAlready] })
    expect(await admin.ok('studyCloseBulk', { projectId })).toEqual({ closed: [olgas] })
    expect(closedAt()[olgas]).toEqual(expect.any(Number))
    const privateProject = await tina.events.ok<number>('appDataUpdate', { table: 'project', data: { name: 'Private' } })
    expect(await olga.events.call('studyCloseBulk', { projectId: privateProject })).toMatchObject(refused('does not exist'))
  })
})
