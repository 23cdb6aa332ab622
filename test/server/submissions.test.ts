import { describe, expect, it } from 'vitest'
import { configurationSeeds, manageSubmissionsRight, navElementSeeds } from '../../schema/index.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { giveRole, grantRight } from '../helpers/rights.js'
import { queryDb } from '../helpers/rooms.js'
import { writeDb } from '../helpers/studies.js'

type Row = Record<string, unknown> & { id: number }

const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })
const pdfBytes = Buffer.from('%PDF-1.7\n%%EOF\n')

describe('submissions, configurations and the menu', () => {
  const live = useEventsServer()
  const { connectUser, connectAdmin } = live

  const submissionRows = () => queryDb(live.dbPath, 'SELECT id, user_id AS userId, "group", additional_settings AS settings, parent_submission_id AS parent, created_by_user_id AS createdBy FROM submission ORDER BY id') as Row[]
  function addSubmission(userId: number, documentIds: number[] = []): number {
    const now = Date.now()
    const id = writeDb(live.dbPath, 'INSERT INTO submission (user_id, created_at, updated_at) VALUES (?, ?, ?)', userId, now, now)
    for (const documentId of documentIds) writeDb(live.dbPath, 'INSERT INTO submission_document (document_id, submission_id) VALUES (?, ?)', documentId, id)
    return id
  }

  it('submissionAssignGroup groups submissions for a holder of the submissions right and pushes them', async () => {
    const student = await connectUser('student')
    const teacher = await connectUser('teacher')
    giveRole(live.dbPath, teacher.userId, 'teacher')
    grantRight(live.dbPath, 'teacher', manageSubmissionsRight)
    const [first, second] = [addSubmission(student.userId), addSubmission(student.userId)]
    await student.events.ok('subscribeAppData', { table: 'submission' })
    const answer = await teacher.events.ok('submissionAssignGroup', { group: 3, submissionIds: [first, second], additionalSettings: { deadline: 'friday' } })
    expect(answer).toEqual({ submissionsUpdated: 2 })
    expect(submissionRows().map((row) => [row.group, JSON.parse(row.settings as string)])).toEqual([[3, { deadline: 'friday' }], [3, { deadline: 'friday' }]])
    await student.events.waitForRow('submission', 'the grouped submission', (row) => row.id === second && row.group === 3)
  })

  it('submissionAssignGroup refuses users without the right, and unknown submissions, writing nothing', async () => {
    const student = await connectUser('student')
    const own = addSubmission(student.userId)
    expect(await student.events.call('submissionAssignGroup', { group: 1, submissionIds: [own] })).toMatchObject(refused(`missing right "${manageSubmissionsRight}"`))
    const admin = await connectAdmin()
    expect(await admin.call('submissionAssignGroup', { group: 1, submissionIds: [own, 9999] })).toMatchObject(refused('submissions 9999 do not exist'))
    expect(submissionRows()[0]!.group).toBeNull()
  })

  it('submissionAssignGroup with isCopied copies submissions with their documents and groups the copies', async () => {
    const student = await connectUser('student')
    const admin = await connectAdmin()
    const pdf = (await student.events.ok<{ doc: Row }>('documentAdd', { name: 'paper.pdf', file: pdfBytes.toString('base64') })).doc
    const text = await student.events.ok<number>('appDataUpdate', { table: 'document', data: { name: 'notes', type: 1 } })
    await student.events.ok('documentEdit', { documentId: text, delta: { ops: [{ insert: 'my notes' }] } })
    const original = addSubmission(student.userId, [pdf.id, text])
    const answer = await admin.ok<{ copiedSubmissions: { copiedSubmission: Row; copiedDocuments: Row[]; originalSubmissionId: number }[] }>('submissionAssignGroup', { group: 2, isCopied: true, submissionIds: [original] })
    const [copy] = answer.copiedSubmissions
    expect(copy!.originalSubmissionId).toBe(original)
    expect(copy!.copiedSubmission).toMatchObject({ userId: student.userId, parentSubmissionId: original, createdByUserId: 1, group: 2 })
    expect(submissionRows().find((row) => row.id === original)!.group).toBeNull()
    const copiedPdf = copy!.copiedDocuments.find((row) => row.parentDocumentId === pdf.id)!
    expect(copiedPdf).toMatchObject({ name: 'paper.pdf_copy', type: 0, userId: student.userId, fileHash: pdf.fileHash, fileSize: pdf.fileSize })
    const copiedText = copy!.copiedDocuments.find((row) => row.parentDocumentId === text)!
    expect((await student.events.ok<{ ops: { insert: string }[] }>('documentGetDeltas', { documentId: copiedText.id })).ops.map((op) => op.insert).join('')).toBe('my notes')
    expect(queryDb(live.dbPath, 'SELECT document_id AS id FROM submission_document WHERE submission_id = ? ORDER BY document_id', copy!.copiedSubmission.id)).toEqual([{ id: copiedPdf.id }, { id: copiedText.id }].sort((a, b) => a.id - b.id))
  })

  it('configurationAdd is for admins, for themselves or another owner', async () => {
    const admin = await connectAdmin()
    const teacher = await connectUser('teacher')
    const row = await admin.ok<Row>('configurationAdd', { name: 'Rubric', type: 0, content: { rubrics: [] }, userId: teacher.userId })
    expect(row).toMatchObject({ name: 'Rubric', type: 0, userId: teacher.userId, content: { rubrics: [] } })
    expect(await teacher.events.call('configurationAdd', { name: 'Mine', type: 1, content: {} })).toMatchObject(refused('only administrators'))
  })

  it('configurationUpdate changes the content for its owner and admins, never for anyone else', async () => {
    const admin = await connectAdmin()
    const [owner, other] = [await connectUser('owner'), await connectUser('other')]
    const row = await admin.ok<Row>('configurationAdd', { name: 'Rubric', type: 0, content: { v: 1 }, userId: owner.userId })
    await other.events.ok('subscribeAppData', { table: 'configuration' })
    expect(await owner.events.ok<Row>('configurationUpdate', { configurationId: row.id, content: { v: 2 } })).toMatchObject({ content: { v: 2 } })
    await other.events.waitForRow('configuration', 'the new content', (pushed) => pushed.id === row.id && (pushed.content as { v: number }).v === 2)
    expect(await other.events.call('configurationUpdate', { configurationId: row.id, content: { v: 666 } })).toMatchObject(refused('only the owner'))
    expect(await admin.ok<Row>('configurationUpdate', { configurationId: row.id, content: { v: 3 } })).toMatchObject({ content: { v: 3 } })
    expect(JSON.parse((queryDb(live.dbPath, 'SELECT content FROM configuration WHERE id = ?', row.id) as { content: string }[])[0]!.content)).toEqual({ v: 3 })
    expect(await owner.events.call('configurationUpdate', { configurationId: 9999, content: {} })).toMatchObject(refused('does not exist'))
  })

  it('seeds the configurations and the dashboard menu once, readable by every user', async () => {
    const user = await connectUser('user')
    await user.events.ok('subscribeAppData', { table: 'configuration' })
    expect(user.events.rowsOf('configuration').map((row) => [row.name, row.type])).toEqual(configurationSeeds.map((seed) => [seed.name, seed.type]))
    await user.events.ok('subscribeAppData', { table: 'nav_element' })
    await user.events.ok('subscribeAppData', { table: 'nav_group' })
    const groups = new Map(user.events.rowsOf('nav_group').map((row) => [row.id, row.name]))
    expect(user.events.rowsOf('nav_element').map((row) => [row.name, groups.get(row.groupId as number), row.path])).toEqual(navElementSeeds.map((seed) => [seed.name, seed.group, seed.path]))
    // Nobody but admins changes the menu.
    expect(await user.events.call('appDataUpdate', { table: 'nav_element', data: { id: 1, name: 'Mine' } })).toMatchObject(refused('only administrators'))
  })
})
