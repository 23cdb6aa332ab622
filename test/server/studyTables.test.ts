import { describe, expect, it } from 'vitest'
import { workflowSeeds } from '../../schema/index.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { queryDb } from '../helpers/rooms.js'
import { addSession as addStudySession, writeDb } from '../helpers/studies.js'

type Row = Record<string, unknown> & { id: number }

describe('study tables as live tables', () => {
  const live = useEventsServer()
  const { connectUser, connectAdmin } = live

  const now = Date.now()
  const addStudy = (userId: number, collab: boolean) =>
    writeDb(live.dbPath, 'INSERT INTO study (name, hash, user_id, workflow_id, collab, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)', 'study', crypto.randomUUID(), userId, collab ? 1 : 0, now, now)
  const addStep = (studyId: number) => writeDb(live.dbPath, 'INSERT INTO study_step (study_id, step_type, created_at, updated_at) VALUES (?, 1, ?, ?)', studyId, now, now)
  const addSession = (studyId: number, userId: number) => addStudySession(live.dbPath, studyId, userId)
  const snapshot = async (events: EventsConnection, table: string) => {
    await events.ok('subscribeAppData', { table })
    return (events.pushes.at(-1)!.data as Row[]).map((row) => row.id).sort((a, b) => a - b)
  }
  /** A call on the same socket: every push of an earlier commit reached it before this answer. */
  const barrier = (events: EventsConnection) => events.ok('subscribeAppData', { table: 'workflow', filter: [{ key: 'id', value: 0 }] })

  it('serves the seeded workflows to everyone and lets only admins change them', async () => {
    const pat = await connectUser('pat')
    const admin = await connectAdmin()
    expect(await snapshot(pat.events, 'workflow')).toHaveLength(workflowSeeds.length)
    expect(await snapshot(pat.events, 'workflow_step')).toHaveLength(workflowSeeds.flatMap((seed) => seed.steps).length)

    const refused = await pat.events.call('appDataUpdate', { table: 'workflow', data: { id: 1, name: 'mine now' } })
    expect(refused).toMatchObject({ success: false, message: expect.stringContaining('only administrators') })
    const refusedStep = await pat.events.call('appDataUpdate', { table: 'workflow_step', data: { workflowId: 1, stepType: 1 } })
    expect(refusedStep).toMatchObject({ success: false, message: expect.stringContaining('only administrators') })

    await admin.ok('appDataUpdate', { table: 'workflow', data: { id: 1, name: 'Peer Review' } })
    await pat.events.waitForRow('workflow', 'the renamed workflow', (row) => row.name === 'Peer Review')
    // Deleting a workflow deletes its steps, and subscribers learn of both.
    await admin.ok('appDataUpdate', { table: 'workflow', data: { id: 1, deleted: true } })
    await pat.events.waitForRow('workflow_step', 'a deleted step', (row) => row.workflowId === 1 && row.deleted === true)
    expect(queryDb(live.dbPath, 'SELECT count(*) AS n FROM workflow_step WHERE workflow_id = 1 AND deleted = 0')).toEqual([{ n: 0 }])
  })

  it('shows projects to their owner and, once public, to everyone; only the owner changes them', async () => {
    const tina = await connectUser('tina')
    const olga = await connectUser('olga')
    const projectId = await tina.events.ok<number>('appDataUpdate', { table: 'project', data: { name: 'Seminar' } })
    expect(await snapshot(olga.events, 'project')).toEqual([])
    expect(await olga.events.call('appDataUpdate', { table: 'project', data: { id: projectId, name: 'taken' } })).toMatchObject({ success: false })
    await tina.events.ok('appDataUpdate', { table: 'project', data: { id: projectId, public: true } })
    await olga.events.waitForRow('project', 'the published project', (row) => row.id === projectId && row.public === true)
    expect(await olga.events.call('appDataUpdate', { table: 'project', data: { id: projectId, name: 'taken' } })).toMatchObject({
      success: false,
      message: expect.stringContaining('your own project'),
    })
  })

  it('scopes studies, steps and sessions: owners see all of theirs, participants their own sessions or in a collaborative study all, the full-access right everything', async () => {
    const tina = await connectUser('tina')
    const pat = await connectUser('pat')
    const paul = await connectUser('paul')
    const olga = await connectUser('olga')
    const mentor = await connectUser('mentor')
    const admin = await connectAdmin()
    const [mentorRole] = queryDb(live.dbPath, "SELECT id FROM user_role WHERE name = 'mentor'") as { id: number }[]
    await admin.ok('appDataUpdate', { table: 'user_role_matching', data: { userId: mentor.userId, userRoleId: mentorRole!.id } })

    const solo = addStudy(tina.userId, false)
    const shared = addStudy(tina.userId, true)
    const olgas = addStudy(olga.userId, false)
    const steps = [addStep(solo), addStep(shared), addStep(olgas)]
    const patSolo = addSession(solo, pat.userId)
    const paulSolo = addSession(solo, paul.userId)
    const patShared = addSession(shared, pat.userId)
    const paulShared = addSession(shared, paul.userId)
    const olgaOwn = addSession(olgas, olga.userId)

    expect(await snapshot(tina.events, 'study')).toEqual([solo, shared])
    expect(await snapshot(tina.events, 'study_step')).toEqual([steps[0], steps[1]])
    expect(await snapshot(tina.events, 'study_session')).toEqual([patSolo, paulSolo, patShared, paulShared])
    expect(await snapshot(pat.events, 'study')).toEqual([solo, shared])
    expect(await snapshot(pat.events, 'study_step')).toEqual([steps[0], steps[1]])
    expect(await snapshot(pat.events, 'study_session')).toEqual([patSolo, patShared, paulShared])
    expect(await snapshot(olga.events, 'study')).toEqual([olgas])
    expect(await snapshot(olga.events, 'study_session')).toEqual([olgaOwn])
    expect(await snapshot(mentor.events, 'study')).toEqual([solo, shared, olgas])
    expect(await snapshot(mentor.events, 'study_session')).toEqual([patSolo, paulSolo, patShared, paulShared, olgaOwn])
    await snapshot(paul.events, 'study_session')

    // Pat finishes the solo session: the owner and the full-access right hear of it, the other participant does not.
    const end = new Date().toISOString()
    await pat.events.ok('appDataUpdate', { table: 'study_session', data: { id: patSolo, end } })
    await tina.events.waitForRow('study_session', 'the finished session', (row) => row.id === patSolo && row.end === end)
    await mentor.events.waitForRow('study_session', 'the finished session', (row) => row.id === patSolo && row.end === end)
    await barrier(paul.events)
    await barrier(olga.events)
    expect(paul.events.rowsOf('study_session').map((row) => row.id)).not.toContain(patSolo)
    expect(olga.events.rowsOf('study_session').map((row) => row.id)).not.toContain(patSolo)
    // In the collaborative study the other participant sees it too.
    await pat.events.ok('appDataUpdate', { table: 'study_session', data: { id: patShared, end } })
    await paul.events.waitForRow('study_session', 'the collaborator’s finished session', (row) => row.id === patShared && row.end === end)
    // A study renamed by its owner reaches its participants, not outsiders.
    await tina.events.ok('appDataUpdate', { table: 'study', data: { id: solo, name: 'Renamed' } })
    await pat.events.waitForRow('study', 'the renamed study', (row) => row.id === solo && row.name === 'Renamed')
    await barrier(olga.events)
    expect(olga.events.rowsOf('study').map((row) => row.id)).not.toContain(solo)

    // Participants change only their own session, never its study, and never make one here.
    expect(await pat.events.call('appDataUpdate', { table: 'study_session', data: { id: paulShared, end } })).toMatchObject({
      success: false,
      message: expect.stringContaining('your own study_session'),
    })
    expect(await olga.events.call('appDataUpdate', { table: 'study_session', data: { id: patSolo, end } })).toMatchObject({ success: false, message: expect.stringContaining('does not exist') })
    expect(await pat.events.call('appDataUpdate', { table: 'study_session', data: { id: patSolo, studyId: olgas } })).toMatchObject({
      success: false,
      message: expect.stringContaining('study_session.studyId cannot be written'),
    })
    expect(await pat.events.call('appDataUpdate', { table: 'study_session', data: { end } })).toMatchObject({ success: false, message: expect.stringContaining('studySessionStart') })
    // Participants do not change the study or its steps.
    expect(await pat.events.call('appDataUpdate', { table: 'study', data: { id: solo, name: 'mine' } })).toMatchObject({ success: false, message: expect.stringContaining('your own study') })
    expect(await tina.events.call('appDataUpdate', { table: 'study_step', data: { id: steps[0], allowBackward: true } })).toMatchObject({
      success: false,
      message: expect.stringContaining('only administrators'),
    })
  })

  it('keeps user_environment and comment_state rows to their owner', async () => {
    const pat = await connectUser('pat')
    const olga = await connectUser('olga')
    const environment = await pat.events.ok<number>('appDataUpdate', { table: 'user_environment', data: { key: 'scroll', value: '{"page":2,"value":120}' } })
    const state = await pat.events.ok<number>('appDataUpdate', { table: 'comment_state', data: { commentId: crypto.randomUUID(), state: 1 } })
    expect(await snapshot(pat.events, 'user_environment')).toEqual([environment])
    expect(await snapshot(pat.events, 'comment_state')).toEqual([state])
    expect(await snapshot(olga.events, 'user_environment')).toEqual([])
    expect(await snapshot(olga.events, 'comment_state')).toEqual([])
    expect(await olga.events.call('appDataUpdate', { table: 'comment_state', data: { id: state, state: 0 } })).toMatchObject({ success: false })
    expect(await olga.events.call('appDataUpdate', { table: 'user_environment', data: { key: 'scroll', userId: pat.userId } })).toMatchObject({
      success: false,
      message: expect.stringContaining('that you own'),
    })
  })
})
