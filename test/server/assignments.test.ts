import { describe, expect, it } from 'vitest'
import { bulkAssignmentsRight, singleAssignmentsRight } from '../../schema/index.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { giveRole, grantRight, roleId } from '../helpers/rights.js'
import { queryDb } from '../helpers/rooms.js'
import { createStudy, workflowId, workflowStepIds } from '../helpers/studies.js'

type Row = Record<string, unknown> & { id: number }

const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })

describe('peer-review assignments', () => {
  const live = useEventsServer()
  const { connectUser, connectAdmin } = live

  const sessionsOf = (studyId: number) => queryDb(live.dbPath, 'SELECT user_id AS userId, start FROM study_session WHERE study_id = ? AND deleted = 0 ORDER BY user_id', studyId) as { userId: number; start: number | null }[]
  const studyRow = (id: number) => (queryDb(live.dbPath, 'SELECT user_id AS userId, created_by_user_id AS createdBy, template, limit_sessions AS limitSessions, limit_sessions_per_user AS perUser, resumable FROM study WHERE id = ?', id) as Row[])[0]!
  const studyCount = () => (queryDb(live.dbPath, 'SELECT count(*) AS n FROM study WHERE template = 0') as { n: number }[])[0]!.n

  /** A peer-review template whose editor step's configuration carries a template marker. */
  async function peerReviewTemplate(admin: EventsConnection): Promise<{ template: number; steps: number[] }> {
    const workflow = workflowId(live.dbPath, 'Peer Review Workflow')
    const steps = workflowStepIds(live.dbPath, workflow)
    const template = await createStudy(admin, { name: 'Review', workflowId: workflow, template: true, stepDocuments: [{ id: steps[1]!, configuration: { link: { isTemplate: true, kind: 'review' } } }] })
    return { template, steps }
  }

  /** `count` students, each with a text document of their own. */
  async function studentsWithDocuments(count: number) {
    const students = []
    for (let index = 0; index < count; index++) {
      const student = await connectUser(`student${index}`)
      const documentId = await student.events.ok<number>('appDataUpdate', { table: 'document', data: { name: `essay ${index}`, type: 1 } })
      students.push({ ...student, documentId })
    }
    return students
  }

  it('assignmentCreate makes a study owned by the author, with a session per reviewer and the template markers filled in', async () => {
    const admin = await connectAdmin()
    const { template, steps } = await peerReviewTemplate(admin)
    const [author, first, second] = await studentsWithDocuments(3)
    const row = await admin.ok<Row>('assignmentCreate', {
      template: { id: template },
      assignment: { id: author!.documentId, userId: 999 },
      reviewer: [{ id: first!.userId }, second!.userId],
      documents: [{ id: steps[1]!, documentId: author!.documentId }],
    })
    expect(studyRow(row.id)).toMatchObject({ userId: author!.userId, createdBy: 1, template: 0, limitSessions: 2, perUser: 1, resumable: 1 })
    expect(sessionsOf(row.id)).toEqual([
      { userId: first!.userId, start: null },
      { userId: second!.userId, start: null },
    ])
    const [editor] = queryDb(live.dbPath, 'SELECT s.configuration, d.user_id AS ownerId, d.parent_document_id AS parent FROM study_step s JOIN document d ON d.id = s.document_id WHERE s.study_id = ? AND s.step_type = 2', row.id) as Row[]
    expect(JSON.parse(editor!.configuration as string)).toEqual({ link: { isTemplate: true, kind: 'review', documentId: author!.documentId } })
    expect(editor).toMatchObject({ ownerId: author!.userId, parent: author!.documentId })
    // The reviewer starts the assigned session as their own.
    expect(await first!.events.call('studySessionStart', { studySessionId: (queryDb(live.dbPath, 'SELECT id FROM study_session WHERE user_id = ?', first!.userId) as Row[])[0]!.id })).toMatchObject({ success: true })
  })

  it('assignmentCreate works for a holder of the single-assignment right and refuses everyone else', async () => {
    const admin = await connectAdmin()
    const { template } = await peerReviewTemplate(admin)
    const [author, reviewer] = await studentsWithDocuments(2)
    const teacher = await connectUser('teacher')
    const call = (events: EventsConnection) => events.call<Row>('assignmentCreate', { template, assignment: author!.documentId, reviewer: [reviewer!.userId] })
    // Template visible to the teacher through the studies full-access right of the teacher role.
    giveRole(live.dbPath, teacher.userId, 'teacher')
    expect(await call(teacher.events)).toMatchObject(refused(`missing right "${singleAssignmentsRight}"`))
    expect(await call(reviewer!.events)).toMatchObject(refused('missing right'))
    expect(studyCount()).toBe(0)
    grantRight(live.dbPath, 'teacher', singleAssignmentsRight)
    expect(await call(teacher.events)).toMatchObject({ success: true })
    expect(studyCount()).toBe(1)
  })

  it('assignmentCreate refuses the author as a reviewer of their own document, and a study that is no template', async () => {
    const admin = await connectAdmin()
    const { template } = await peerReviewTemplate(admin)
    const [author] = await studentsWithDocuments(1)
    expect(await admin.call('assignmentCreate', { template, assignment: author!.documentId, reviewer: [author!.userId] })).toMatchObject(refused('cannot review it'))
    const plain = await createStudy(admin, { name: 'Plain', workflowId: workflowId(live.dbPath, 'Annotation Workflow') })
    expect(await admin.call('assignmentCreate', { template: plain, assignment: author!.documentId, reviewer: [1] })).toMatchObject(refused('is not a template'))
    expect(studyCount()).toBe(1)
  })

  it('assignmentAdd adds reviewers for whoever assigned the study, raising its limit, and refuses others, the author and repeats', async () => {
    const admin = await connectAdmin()
    const { template } = await peerReviewTemplate(admin)
    const [author, first, second, third] = await studentsWithDocuments(4)
    const row = await admin.ok<Row>('assignmentCreate', { template, assignment: author!.documentId, reviewer: [first!.userId] })
    expect(await admin.call('assignmentAdd', { studyId: row.id, reviewer: [{ id: second!.userId }] })).toMatchObject({ success: true })
    expect(sessionsOf(row.id).map((session) => session.userId)).toEqual([first!.userId, second!.userId])
    expect(studyRow(row.id).limitSessions).toBe(2)
    expect(await first!.events.call('assignmentAdd', { studyId: row.id, reviewer: [third!.userId] })).toMatchObject(refused('missing right'))
    // A holder of the right who did not assign this study.
    const teacher = await connectUser('teacher')
    giveRole(live.dbPath, teacher.userId, 'teacher')
    grantRight(live.dbPath, 'teacher', singleAssignmentsRight)
    expect(await teacher.events.call('assignmentAdd', { studyId: row.id, reviewer: [third!.userId] })).toMatchObject(refused('only whoever assigned'))
    expect(await admin.call('assignmentAdd', { studyId: row.id, reviewer: [author!.userId] })).toMatchObject(refused('cannot review it'))
    expect(await admin.call('assignmentAdd', { studyId: row.id, reviewer: [second!.userId] })).toMatchObject(refused('review study'))
    expect(sessionsOf(row.id)).toHaveLength(2)
  })

  it('assignmentCreateBulk (reviewer mode) meets every quota evenly, never with the own document, the same way under the same seed', async () => {
    const admin = await connectAdmin()
    const { template } = await peerReviewTemplate(admin)
    const students = await studentsWithDocuments(5)
    const input = {
      template: { id: template },
      mode: 'reviewer',
      selectedReviewer: students.map((student) => ({ id: student.userId })),
      selectedAssignments: students.map((student) => ({ id: student.documentId, userId: student.userId })),
      reviewerSelection: Object.fromEntries(students.map((student) => [String(student.userId), '2'])),
      seed: 42,
      progressId: 'bulk-1',
    }
    const result = await admin.ok<{ seed: number; assignments: Record<string, number[]>; studies: Record<string, number> }>('assignmentCreateBulk', input)
    expect(result.seed).toBe(42)
    expect(admin.pushes.filter((push) => push.event === 'progressUpdate').map((push) => push.data)).toEqual(students.map((_, index) => ({ id: 'bulk-1', current: index + 1, total: students.length })))
    for (const student of students) {
      const reviewers = result.assignments[student.documentId]!
      expect(reviewers).toHaveLength(2)
      expect(reviewers).not.toContain(student.userId)
      expect(sessionsOf(result.studies[student.documentId]!).map((session) => session.userId)).toEqual(reviewers)
      expect(studyRow(result.studies[student.documentId]!).userId).toBe(student.userId)
    }
    for (const student of students) expect(Object.values(result.assignments).filter((ids) => ids.includes(student.userId))).toHaveLength(2)
    const again = await admin.ok<typeof result>('assignmentCreateBulk', input)
    expect(again.assignments).toEqual(result.assignments)
  })

  it('assignmentCreateBulk (role mode) gives each reviewer the quota of their role, and reports quotas that cannot be met without writing anything', async () => {
    const admin = await connectAdmin()
    const { template } = await peerReviewTemplate(admin)
    const students = await studentsWithDocuments(3)
    for (const student of students) giveRole(live.dbPath, student.userId, 'student')
    const base = {
      template,
      mode: 'role',
      selectedReviewer: students.map((student) => student.userId),
      selectedAssignments: students.map((student) => student.documentId),
    }
    const student = roleId(live.dbPath, 'student')
    const result = await admin.ok<{ assignments: Record<string, number[]> }>('assignmentCreateBulk', { ...base, roleSelection: { [student]: 1 }, seed: 7 })
    expect(Object.values(result.assignments).map((ids) => ids.length)).toEqual([1, 1, 1])
    const before = studyCount()
    expect(await admin.call('assignmentCreateBulk', { ...base, roleSelection: { [student]: 3 } })).toMatchObject(refused('the quotas cannot be met'))
    expect(studyCount()).toBe(before)
  })

  it('assignmentCreateBulk needs the bulk-assignment right', async () => {
    const admin = await connectAdmin()
    const { template } = await peerReviewTemplate(admin)
    const [first, second] = await studentsWithDocuments(2)
    const input = { template, mode: 'reviewer', selectedReviewer: [first!.userId, second!.userId], selectedAssignments: [first!.documentId, second!.documentId], reviewerSelection: { [first!.userId]: 1, [second!.userId]: 1 } }
    giveRole(live.dbPath, first!.userId, 'teacher')
    grantRight(live.dbPath, 'teacher', singleAssignmentsRight)
    expect(await first!.events.call('assignmentCreateBulk', input)).toMatchObject(refused(`missing right "${bulkAssignmentsRight}"`))
    expect(studyCount()).toBe(0)
    grantRight(live.dbPath, 'teacher', bulkAssignmentsRight)
    expect(await first!.events.call('assignmentCreateBulk', input)).toMatchObject({ success: true })
    expect(studyCount()).toBe(2)
  })
})
