import { PDFDocument, StandardFonts } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type { FolioClient, RpcArgs, RpcResult } from '../../clients/index.js'
import { rpcInputs } from '../../schema/inputs/rpcEvents.js'
import { clientLoggingSetting } from '../../schema/index.js'
import {
  configurationRow,
  documentDataRow,
  documentRow,
  logRow,
  roomRow,
  rpcOutputs,
  type RpcOutput,
  settingRow,
  shareRow,
  statisticRow,
  studyRow,
  studySessionRow,
  submissionRow,
  tagRow,
  userRow,
  versionRow,
} from '../../schema/outputs/index.js'
import type { configuration, document, documentData, documentVersion, log, room, setting, share, statistic, study, studySession, submission, tag, user } from '../../schema/db/index.js'
import { MoodleServer } from '../helpers/moodleServer.js'
import { queryDb } from '../helpers/rooms.js'
import { workflowId, writeDb } from '../helpers/studies.js'
import { TestBroker } from '../helpers/nlpBroker.js'
import { type Harness, startHarness, waitFor } from './harness.js'

/** A row of `Table` as JSON carries it: timestamps as ISO strings. */
type JsonRow<Row> = { [K in keyof Row]: Row[K] extends Date ? string : Row[K] extends Date | null ? string | null : Row[K] }
type RowOf<Schema extends z.ZodType> = z.output<Schema>

describe('rpc answer types', () => {
  it('are the declared output of each event, and unknown for other names', () => {
    const client = null as unknown as FolioClient
    expectTypeOf<ReturnType<typeof client.rpc<'documentCreate'>>>().resolves.toEqualTypeOf<RpcOutput<'documentCreate'>>()
    expectTypeOf<RpcResult<'documentCreate'>['name']>().toEqualTypeOf<string>()
    expectTypeOf<RpcResult<'roomGuestLinkCreate'>>().toEqualTypeOf<{ roomId: string; token: string }>()
    expectTypeOf<RpcResult<'documentEdit'>>().toEqualTypeOf<null>()
    expectTypeOf<RpcResult<'studyCloseBulk'>>().toEqualTypeOf<{ closed: number[] }>()
    expectTypeOf<RpcResult<'somethingElse'>>().toBeUnknown()
  })

  it('of rows match their tables, column for column, with timestamps as strings', () => {
    expectTypeOf<RowOf<typeof documentRow>>().toEqualTypeOf<JsonRow<typeof document.$inferSelect>>()
    expectTypeOf<RowOf<typeof documentDataRow>>().toEqualTypeOf<JsonRow<typeof documentData.$inferSelect>>()
    expectTypeOf<RowOf<typeof tagRow>>().toEqualTypeOf<JsonRow<typeof tag.$inferSelect>>()
    expectTypeOf<Omit<RowOf<typeof versionRow>, 'creator_name'>>().toEqualTypeOf<JsonRow<typeof documentVersion.$inferSelect>>()
    expectTypeOf<RowOf<typeof roomRow>>().toEqualTypeOf<JsonRow<typeof room.$inferSelect>>()
    expectTypeOf<RowOf<typeof settingRow>>().toEqualTypeOf<JsonRow<typeof setting.$inferSelect>>()
    expectTypeOf<RowOf<typeof studyRow>>().toEqualTypeOf<JsonRow<typeof study.$inferSelect>>()
    expectTypeOf<RowOf<typeof studySessionRow>>().toEqualTypeOf<JsonRow<typeof studySession.$inferSelect>>()
    expectTypeOf<RowOf<typeof userRow>>().toEqualTypeOf<JsonRow<Omit<typeof user.$inferSelect, 'passwordHash'>>>()
    expectTypeOf<RowOf<typeof configurationRow>>().toEqualTypeOf<JsonRow<typeof configuration.$inferSelect>>()
    expectTypeOf<RowOf<typeof submissionRow>>().toEqualTypeOf<JsonRow<typeof submission.$inferSelect>>()
    expectTypeOf<Omit<RowOf<typeof logRow>, 'creator_name'>>().toEqualTypeOf<JsonRow<typeof log.$inferSelect>>()
    expectTypeOf<RowOf<typeof statisticRow>>().toEqualTypeOf<JsonRow<typeof statistic.$inferSelect>>()
    expectTypeOf<RowOf<typeof shareRow>>().toEqualTypeOf<JsonRow<typeof share.$inferSelect>>()
  })

  it('are declared for every event', () => {
    expect(Object.keys(rpcInputs).filter((event) => !(event in rpcOutputs))).toEqual([])
  })
})

describe('rpc answers from a real server', () => {
  let harness: Harness
  let admin: FolioClient
  const checked = new Set<string>()

  /** Calls `event` as `caller` and parses the answer with its declared output schema (strict where the rows are). */
  async function callAs<E extends keyof typeof rpcOutputs>(caller: FolioClient, event: E, ...args: RpcArgs<E>): Promise<RpcOutput<E>> {
    const answer = await caller.rpc(event, ...args)
    const parsed = rpcOutputs[event].safeParse(answer)
    if (!parsed.success) throw new Error(`${event} answered ${JSON.stringify(answer)}, which is not its declared output: ${parsed.error.message}`)
    checked.add(event)
    return answer as RpcOutput<E>
  }
  /** `callAs` the admin. */
  const call = <E extends keyof typeof rpcOutputs>(event: E, ...args: RpcArgs<E>) => callAs(admin, event, ...args)

  let broker: TestBroker
  beforeAll(async () => {
    broker = await TestBroker.start({ token: 'typed-broker-token', skills: [{ name: 'sentiment', nodes: 1 }] })
    harness = await startHarness({ FOLIO_NLP_URL: broker.url, FOLIO_NLP_TOKEN: 'typed-broker-token' })
    admin = await harness.admin()
  })
  afterAll(async () => {
    await harness.stop()
    await broker.stop()
  })

  it('have the declared shape, for every event', async () => {
    await call('appInit')
    const subscription = await call('subscribeAppData', { table: 'document' })
    await call('unsubscribeAppData', subscription)
    await call('appSettingSet', { key: 'editor.theme', value: 'dark' })
    const settings = await call('settingGetData')
    await call('settingSave', [{ key: settings[0]?.key ?? 'app.name', value: settings[0]?.value ?? 'Folio' }])

    const created = await call('documentCreate', { name: 'typed answers' })
    const added = await call('documentAdd', { name: 'added', delta: { ops: [{ insert: 'Hello\n' }] } })
    const pdf = await call('documentAdd', { name: 'a pdf', file: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') })
    const documentId = added.doc.id
    await call('documentEdit', { documentId, delta: { ops: [{ retain: 5 }, { insert: ', world' }] } })
    await call('documentGet', { documentId })
    await call('documentGet', { documentId: pdf.doc.id })
    await call('documentGetByHash', { documentHash: created.hash })
    await call('documentGetDeltas', { documentId })
    await call('documentGetData', { documentId })
    await call('documentGetData', { documentId: pdf.doc.id })
    await call('documentPublish', { documentId })
    await call('documentUpdate', { id: created.id, name: 'renamed' })
    await call('documentGetAll')
    await call('documentSubscribe', { documentId })
    await call('documentUnsubscribe', { documentId })
    await call('documentOpen', { documentId })
    await call('documentClose', { documentId })
    await call('documentDataSave', { documentId, key: 'score', value: { points: 3 } })
    await call('documentDataGet', { documentId })

    const annotation = await call('annotationUpdate', { documentId, text: 'a note' })
    if ('deleted' in annotation && annotation.deleted === true && !('text' in annotation)) throw new Error('a new annotation came back removed')
    await call('annotationGet', { documentId, annotationId: annotation.id })
    await call('annotationGetByDocument', { documentId })
    const comment = await call('commentUpdate', { documentId, annotationId: annotation.id, text: 'a comment' })
    await call('commentGet', { documentId, commentId: comment.id })
    await call('commentGetByDocument', { documentId })
    await call('commentVote', { documentId, commentId: comment.id, vote: 1 })
    await call('commentVoteGetByDocument', { documentId })
    const collab = await call('collabUpdate', { documentId })
    await call('collabUpdate', { documentId, collabId: collab.collabId })

    const version = await call('versionCreate', { documentId, name: 'v1' })
    await call('versionList', { documentId })
    await call('versionRestore', { documentId, versionId: version.id })

    const { id: roomId } = await call('roomCreate', { title: 'typed room' })
    await call('roomGet', { roomId })
    await call('roomGuestLinkCreate', { roomId })
    await call('roomDelete', { roomId })

    const projectId = (await call('appDataUpdate', { table: 'project', data: { name: 'typed project' } })) as number
    const workflow = workflowId(harness.dbPath, 'Annotation Workflow')
    const studyId = (await call('appDataUpdate', { table: 'study', data: { name: 'typed study', workflowId: workflow, projectId, stepDocuments: [] } })) as number
    await call('studySessionStart', { studyId })
    await call('studySessionSubscribe', { studyId })
    await call('studySessionUnsubscribe', { studyId })
    await call('studySaveAsTemplate', { id: studyId })
    await call('studyCloseBulk', { projectId })

    const account = await call('userCreate', { userName: 'typed', email: 'typed@example.test', roles: ['student'] })
    await call('userBulkCreate', { users: [{ email: 'typed@example.test', roles: ['student'] }, { email: 'bulk@example.test', userName: 'typed' }, { email: 'new@example.test' }] })
    await call('userGetByRole', { role: 'student' })
    await call('userGetDetails', { userId: account.id })
    await call('userGetRight', { userId: account.id })
    await call('userUpdateDetails', { userId: account.id, userData: { firstName: 'Typed', roles: ['user'] } })
    await call('userResetPwd', { userId: account.id, password: 'typed password' })
    await call('userConsentUpdate', { acceptTerms: true, acceptStats: false, acceptDataSharing: false })
    await call('userCheckExistsByMail', [{ email: 'typed@example.test' }])
    const roleId = (await call('appInit')).appSystemRoles[0]!.id
    await call('userGetRoleBasedRights', { roleId })
    await call('userGetAllRights')
    await call('userAssignRoleRights', { roleId, newRights: ['frontend.dashboard.home.view'] })

    // A student's essay, reviewed by others; the admin assigns.
    const author = await harness.user('typedauthor')
    const authorId = (await callAs(author, 'appInit')).appUser.id
    const [reviewerId, laterReviewerId] = [(await callAs(await harness.user('typedreviewer'), 'appInit')).appUser.id, (await callAs(await harness.user('typedlater'), 'appInit')).appUser.id]
    const essay = (await callAs(author, 'documentAdd', { name: 'essay', delta: { ops: [{ insert: 'My essay\n' }] } })).doc.id
    const peerReview = workflowId(harness.dbPath, 'Peer Review Workflow')
    const template = (await call('appDataUpdate', { table: 'study', data: { name: 'typed review', workflowId: peerReview, template: true, stepDocuments: [] } })) as number
    const assigned = await call('assignmentCreate', { template, assignment: essay, reviewer: [reviewerId] })
    await call('assignmentAdd', { studyId: assigned.id, reviewer: [laterReviewerId] })
    expect((await call('assignmentCreateBulk', { template, mode: 'reviewer', selectedReviewer: [reviewerId], selectedAssignments: [essay], reviewerSelection: { [reviewerId]: '1' }, seed: 7 })).studies).toHaveProperty(String(essay))

    // No event makes submissions: they come from a learning platform.
    const now = Date.now()
    const submissionId = writeDb(harness.dbPath, 'INSERT INTO submission (user_id, created_at, updated_at) VALUES (?, ?, ?)', authorId, now, now)
    writeDb(harness.dbPath, 'INSERT INTO submission_document (document_id, submission_id) VALUES (?, ?)', essay, submissionId)
    await call('submissionAssignGroup', { group: 1, submissionIds: [submissionId], additionalSettings: { deadline: 'friday' } })
    expect(await call('submissionAssignGroup', { group: 2, isCopied: true, submissionIds: [submissionId] })).toHaveProperty(['copiedSubmissions', 0, 'copiedDocuments', 0, 'parentDocumentId'], essay)

    const granteeId = (await callAs(await harness.user('typedgrantee'), 'appInit')).appUser.id
    const shared = await call('shareCreate', { documentId, userId: granteeId, role: 'reader' })
    await call('shareUpdate', { shareId: shared.id, role: 'editor' })
    await call('shareList', { documentId })
    await call('shareRevoke', { shareId: shared.id })

    await call('appData', { table: 'document' })
    await call('appDataByHash', { table: 'document', hash: added.doc.hash })
    const drawn = await PDFDocument.create()
    drawn.addPage().drawText('An annotated page.', { x: 50, y: 700, size: 14, font: await drawn.embedFont(StandardFonts.Helvetica) })
    const annotated = (await call('documentAdd', { name: 'drawn pdf', file: Buffer.from(await drawn.save()).toString('base64') })).doc.id
    const quote = { target: [{ selector: [{ type: 'PagePositionSelector' as const, number: 1 }, { type: 'TextQuoteSelector' as const, exact: 'annotated' }] }] }
    await call('annotationUpdate', { documentId: annotated, selectors: quote, draft: false })
    expect(await call('annotationEmbed', { documentId: annotated })).toMatchObject({ embedded: 1 })

    const rubric = await call('configurationAdd', { name: 'typed rubric', type: 0, content: { criteria: [] } })
    await call('configurationUpdate', { configurationId: rubric.id, content: { criteria: ['clarity'] } })

    await call('settingSave', [{ key: clientLoggingSetting, value: 'true' }])
    await callAs(author, 'log', { level: 'warn', message: 'typed entry', meta: { line: 3 } })
    // The log table takes entries in batches.
    await waitFor('the client entry in the log table', () => queryDb(harness.dbPath, "SELECT id FROM log WHERE service = 'client'").length === 1)
    expect((await call('logGetAll', { filter: { service: 'client' } })).rows).toHaveLength(1)
    await callAs(author, 'userConsentUpdate', { acceptTerms: true, acceptStats: true, acceptDataSharing: false })
    expect(await callAs(author, 'stats', { action: 'documentOpen', data: { documentId: essay } })).toEqual({ recorded: true })
    expect(await call('statsGet', { userId: authorId })).toHaveLength(1)
    expect((await call('statsGetByUser', { userId: authorId })).statistics).toHaveLength(1)

    // Moodle: one student and their submission on a Moodle-shaped web-service server.
    const typedPdf = Buffer.from(await drawn.save())
    const moodle = await new MoodleServer('typed-token', [
      {
        id: 7,
        fullname: 'Typed course',
        users: [{ id: 201, username: 'tom', firstname: 'Tom', lastname: 'Typed', email: 'tom@moodle.test', roles: ['student'] }],
        assignments: [{ id: 41, cmid: 741, name: 'Typed', duedate: 0, grades: new Map(), submissions: [{ id: 9101, userid: 201, status: 'submitted', files: [{ filename: 'typed.pdf', bytes: typedPdf, mimetype: 'application/pdf' }] }] }],
      },
    ]).start()
    try {
      await call('settingSave', [
        { key: 'rpc.moodleAPI.apiUrl', value: moodle.url },
        { key: 'rpc.moodleAPI.apiKey', value: 'typed-token' },
        { key: 'rpc.moodleAPI.courseID', value: '7' },
      ])
      const students = await call('userMoodleUserGetAll', {})
      const imported = await call('userBulkCreate', { users: students.map(({ exists: _exists, email, ...entry }) => ({ ...entry, email: email! })) })
      expect(await call('assignmentGetInfo', {})).toEqual([{ id: 41, cmid: 741, name: 'Typed', dueDate: 0 }])
      expect(await call('userPublishMoodle', { options: { assignmentID: 741 }, users: imported.createdUsers.map((row) => ({ extId: row.extId!, password: row.password })) })).toEqual({ published: [201], errors: [] })
      expect(await call('documentGetMoodleSubmissions', { options: { assignmentID: 741 } })).toHaveLength(1)
      expect((await call('documentDownloadMoodleSubmissions', { options: { assignmentID: 741 }, submissions: [{ submissionId: 9101 }] })).downloadedSubmissions).toHaveLength(1)
      await call('documentPublishReviewLinks', { options: { assignmentID: 741 }, feedback: [{ extId: 201, text: 'Your reviews' }] })
      await call('documentUploadSingleSubmission', { userId: authorId, files: [{ fileName: 'essay.pdf', content: typedPdf.toString('base64') }] })
    } finally {
      await moodle.stop()
    }

    // The NLP service on a local socket.io broker.
    await waitFor('the server reaching the NLP broker', () => broker.connections > 0)
    await call('serviceConnect', { service: 'NLPService' })
    await call('serviceCommand', { service: 'NLPService', command: 'skillGetAll' })
    await call('serviceRequest', { service: 'NLPService', data: { id: 'typed', name: 'sentiment', data: { text: 'fine' } } })
    await call('serviceDisconnect', { service: 'NLPService' })

    expect(Object.keys(rpcOutputs).filter((event) => !checked.has(event))).toEqual([])
  })
})
