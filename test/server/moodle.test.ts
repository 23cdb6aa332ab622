import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { zipSync, strToU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { manageSubmissionsRight } from '../../schema/index.js'
import { adminPassword, login, rpc } from '../helpers/accounts.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { type MoodleCourse, MoodleServer } from '../helpers/moodleServer.js'
import { grantRight, giveRole } from '../helpers/rights.js'
import { queryDb } from '../helpers/rooms.js'

type Row = Record<string, unknown>

const token = 'f3c1b2a4d5e6f708192a3b4c5d6e7f80'
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1')
const latexZip = (files: string[]) => Buffer.from(zipSync(Object.fromEntries(files.map((name) => [name, strToU8(`% ${name}`)]))))
const exposeFiles = ['Expose.tex', 'ExposeBibliography.bib', 'tudathesis.cfg']

/** A course of four: a teacher, two students who handed in a PDF and the LaTeX ZIP, one whose second file fails to download. */
function course(): MoodleCourse {
  return {
    id: 5,
    fullname: 'Scientific Writing 2026',
    users: [
      { id: 101, username: 'ada', firstname: 'Ada', lastname: 'Lovelace', email: 'Ada@uni.example', roles: ['student'] },
      { id: 102, username: 'alan', firstname: 'Alan', lastname: 'Turing', email: 'alan@uni.example', roles: ['student'] },
      { id: 103, username: 'grace', firstname: 'Grace', lastname: 'Hopper', email: 'grace@uni.example', roles: ['student'] },
      { id: 104, username: 'tim', firstname: 'Tim', lastname: 'Teacher', email: 'tim@uni.example', roles: ['editingteacher'] },
    ],
    assignments: [
      {
        id: 31,
        cmid: 731,
        name: 'Exposé',
        duedate: 1_767_225_600,
        grades: new Map([[101, '85.00000']]),
        submissions: [
          { id: 9001, userid: 101, status: 'submitted', files: [{ filename: 'expose.pdf', bytes: pdf('ada'), mimetype: 'application/pdf' }, { filename: 'latex.zip', bytes: latexZip(exposeFiles), mimetype: 'application/zip' }] },
          { id: 9002, userid: 102, status: 'submitted', files: [{ filename: 'expose.pdf', bytes: pdf('alan'), mimetype: 'application/pdf' }, { filename: 'latex.zip', bytes: latexZip(['Expose.tex']), mimetype: 'application/zip' }] },
          {
            id: 9003,
            userid: 103,
            status: 'submitted',
            files: [{ filename: 'expose.pdf', bytes: pdf('grace'), mimetype: 'application/pdf' }, { filename: 'latex.zip', bytes: latexZip(exposeFiles), mimetype: 'application/zip', failDownload: true }],
          },
        ],
      },
      { id: 32, cmid: 732, name: 'Logins', duedate: 0, grades: new Map(), submissions: [] },
    ],
  }
}

describe('Moodle events against a Moodle-shaped web-service server', () => {
  const setup = useEventsServer({ FOLIO_MOODLE_TIMEOUT_MS: '1500', FOLIO_MAX_UPLOAD_BYTES: '4096' })
  let moodle: MoodleServer
  beforeEach(async () => {
    moodle = await new MoodleServer(token, [course()]).start()
  })
  afterEach(() => moodle.stop())

  const configuredAdmin = async (settings: Record<string, string> = {}) => {
    const admin = await setup.connectAdmin()
    const values = { 'rpc.moodleAPI.apiUrl': moodle.url, 'rpc.moodleAPI.apiKey': token, 'rpc.moodleAPI.courseID': '5', ...settings }
    await admin.ok('settingSave', Object.entries(values).map(([key, value]) => ({ key, value })))
    return admin
  }
  const exposeValidatorId = () => (queryDb(setup.dbPath, "SELECT id FROM configuration WHERE type = 1 AND name LIKE '%Exposé%'") as { id: number }[])[0]!.id
  const progressOf = (events: EventsConnection) => events.pushes.filter((push) => push.event === 'progressUpdate').map((push) => push.data)
  const neverShowsToken = (events: EventsConnection) => expect(events.texts.some((text) => text.includes(token))).toBe(false)

  /** The course's students as Folio accounts, through the two import events. */
  const importStudents = async (admin: EventsConnection) => {
    const users = await admin.ok<Row[]>('userMoodleUserGetAll', {})
    const answer = await admin.ok<{ createdUsers: Row[] }>('userBulkCreate', { users: users.map(({ exists: _exists, ...entry }) => entry) })
    return answer.createdUsers
  }

  it('imports the course users (roles mapped, known addresses marked) and publishes their logins as feedback, keeping grades', async () => {
    const admin = await configuredAdmin()
    await setup.connectUser('alan')
    // alan@example.test is the registered one; Moodle's alan has another address, so the known one is made known here.
    await admin.ok('userBulkCreate', { users: [{ email: 'grace@uni.example', firstName: 'Grace' }] })
    const users = await admin.ok<Row[]>('userMoodleUserGetAll', {})
    expect(users).toEqual([
      { extId: '101', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@uni.example', roles: ['student'], exists: false },
      { extId: '102', firstName: 'Alan', lastName: 'Turing', email: 'alan@uni.example', roles: ['student'], exists: false },
      { extId: '103', firstName: 'Grace', lastName: 'Hopper', email: 'grace@uni.example', roles: ['student'], exists: true },
      { extId: '104', firstName: 'Tim', lastName: 'Teacher', email: 'tim@uni.example', roles: ['editingteacher'], exists: false },
    ])
    expect(moodle.callsOf('core_enrol_get_enrolled_users').map((call) => call.params)).toEqual([{ courseid: '5' }])

    const imported = await admin.ok<{ createdUsers: Row[]; updatedUsers: Row[] }>('userBulkCreate', { progressId: 'moodle-users', users: users.map(({ exists: _exists, ...entry }) => entry) })
    expect(imported.createdUsers.map((row) => [row.extId, row.roles])).toEqual([
      ['101', ['user', 'student']],
      ['102', ['user', 'student']],
      ['104', ['user', 'teacher']],
    ])
    expect(imported.updatedUsers.map((row) => row.extId)).toEqual(['103'])
    expect(progressOf(admin).filter((data) => (data as Row).id === 'moodle-users')).toHaveLength(4)

    const logins = imported.createdUsers.map((row) => ({ extId: row.extId, userName: 'ignored', password: row.password }))
    const published = await admin.ok('userPublishMoodle', { options: { assignmentID: 732 }, users: logins })
    expect(published).toEqual({ published: [101, 102, 104], errors: [] })
    // One save_grade per user, on the assignment's instance id, in Moodle's bracket encoding.
    const saves = moodle.callsOf('mod_assign_save_grade')
    expect(saves[0]!.raw.get('plugindata[assignfeedbackcomments_editor][text]')).toBe(`Username: ${imported.createdUsers[0]!.userName}\nPassword: ${imported.createdUsers[0]!.password}`)
    expect(moodle.callsOf('mod_assign_get_assignments')[0]!.raw.get('courseids[0]')).toBe('5')
    expect(moodle.feedback.map(({ assignmentid, userid, grade }) => ({ assignmentid, userid, grade }))).toEqual([
      { assignmentid: 32, userid: 101, grade: '-1' },
      { assignmentid: 32, userid: 102, grade: '-1' },
      { assignmentid: 32, userid: 104, grade: '-1' },
    ])
    expect(await admin.call('userPublishMoodle', { options: { assignmentID: 732 }, users: [{ extId: 999, password: 'x' }] })).toMatchObject({
      success: false,
      message: 'no Folio account has the Moodle user id 999; import them with userBulkCreate first',
    })
    neverShowsToken(admin)
  })

  it('lists and imports submissions with progress: one submission per Moodle submission, its files as PDF and ZIP documents, validated', async () => {
    const admin = await configuredAdmin()
    const students = await importStudents(admin)
    const listed = await admin.ok<Row[]>('documentGetMoodleSubmissions', { options: { courseID: 5, assignmentID: '731' } })
    expect(listed.map((entry) => [entry.submissionId, entry.userid, entry.userId, entry.firstName, entry.exists])).toEqual([
      [9001, 101, students[0]!.id, 'Ada', false],
      [9002, 102, students[1]!.id, 'Alan', false],
      [9003, 103, students[2]!.id, 'Grace', false],
    ])
    expect(listed[0]!.files).toEqual([
      { fileName: 'expose.pdf', fileSize: pdf('ada').byteLength, mimeType: 'application/pdf', timeModified: 1_700_000_050 },
      { fileName: 'latex.zip', fileSize: expect.any(Number), mimeType: 'application/zip', timeModified: 1_700_000_050 },
    ])
    expect(JSON.stringify(listed)).not.toContain('pluginfile')

    const answer = await admin.ok<{ downloadedSubmissions: Row[]; downloadedErrors: Row[] }>('documentDownloadMoodleSubmissions', {
      options: { assignmentID: 731 },
      // The original's client sends file URLs too: they are not used.
      submissions: listed.map((entry) => ({ submissionId: entry.submissionId, files: [{ fileUrl: 'http://169.254.169.254/latest' }] })),
      group: 2,
      validationConfigurationId: exposeValidatorId(),
      progressId: 'moodle-submissions',
    })
    expect(answer.downloadedSubmissions).toEqual([{ submissionId: expect.any(Number), extId: 9001, documentIds: [expect.any(Number), expect.any(Number)] }])
    expect(answer.downloadedErrors).toEqual([
      { submissionId: 9002, userId: students[1]!.id, message: 'required file missing in latex.zip: Bibliography file for the exposé' },
      { submissionId: 9003, userId: students[2]!.id, message: 'Moodle answered the download of latex.zip with HTTP 500: check that rpc.moodleAPI.apiUrl is the address of the Moodle site' },
    ])
    expect(progressOf(admin).filter((data) => (data as Row).id === 'moodle-submissions')).toEqual([1, 2, 3].map((current) => ({ id: 'moodle-submissions', current, total: 3 })))
    expect(moodle.downloads).toEqual(['expose.pdf', 'latex.zip', 'expose.pdf', 'latex.zip', 'expose.pdf', 'latex.zip'])

    const [imported] = answer.downloadedSubmissions
    const submission = queryDb(setup.dbPath, 'SELECT user_id, created_by_user_id, ext_id, "group", validation_configuration_id FROM submission WHERE id = ?', imported!.submissionId)
    expect(submission).toEqual([{ user_id: students[0]!.id, created_by_user_id: expect.any(Number), ext_id: 9001, group: 2, validation_configuration_id: exposeValidatorId() }])
    const documents = queryDb(setup.dbPath, 'SELECT d.name, d.type, d.user_id FROM document d JOIN submission_document s ON s.document_id = d.id WHERE s.submission_id = ? ORDER BY d.id', imported!.submissionId)
    expect(documents).toEqual([
      { name: 'expose.pdf', type: 0, user_id: students[0]!.id },
      { name: 'latex.zip', type: 4, user_id: students[0]!.id },
    ])
    // The documents hold the bytes Moodle served.
    const [pdfId, zipId] = imported!.documentIds as number[]
    expect(Buffer.from((await admin.ok<{ file: string }>('documentGet', { documentId: pdfId })).file, 'base64')).toEqual(pdf('ada'))
    expect(Buffer.from((await admin.ok<{ file: string }>('documentGet', { documentId: zipId })).file, 'base64')).toEqual(moodle.courses[0]!.assignments[0]!.submissions[0]!.files[1]!.bytes)
    const ada = await admin.ok<Row[]>('documentGetMoodleSubmissions', { options: { assignmentID: 731 } })
    expect(ada.map((entry) => entry.exists)).toEqual([true, false, false])

    // A second import of the same submission is refused instead of duplicating it.
    const again = await admin.ok<{ downloadedErrors: Row[] }>('documentDownloadMoodleSubmissions', { options: { assignmentID: 731 }, submissions: [{ submissionId: 9001 }] })
    expect(again.downloadedErrors).toEqual([{ submissionId: 9001, userId: students[0]!.id, message: `Moodle submission 9001 was imported before, as submission ${imported!.submissionId}; delete that one to import it again` }])
    expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM submission WHERE ext_id = 9001')).toEqual([{ n: 1 }])
    neverShowsToken(admin)
  })

  it('a failing download leaves no half-written submission: no row, no document of it', async () => {
    const admin = await configuredAdmin()
    await importStudents(admin)
    const before = queryDb(setup.dbPath, 'SELECT count(*) AS n FROM document')
    const answer = await admin.ok<{ downloadedSubmissions: Row[]; downloadedErrors: Row[] }>('documentDownloadMoodleSubmissions', { options: { assignmentID: 731 }, submissions: [{ submissionId: 9003 }] })
    expect(answer.downloadedSubmissions).toEqual([])
    expect(answer.downloadedErrors).toHaveLength(1)
    // Its first file was fetched; nothing of it was written.
    expect(moodle.downloads).toEqual(['expose.pdf', 'latex.zip'])
    expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM submission WHERE ext_id = 9003')).toEqual([{ n: 0 }])
    expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM document')).toEqual(before)
    expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM submission_document')).toEqual([{ n: 0 }])
  })

  it('sends the token nowhere but the site: a file listed at another address is not fetched; an oversized file is refused', async () => {
    const foreign: string[] = []
    const elsewhere = createServer((request, response) => {
      foreign.push(request.url ?? '')
      response.end('%PDF-1.4')
    })
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
    try {
      const admin = await configuredAdmin()
      await importStudents(admin)
      const port = (elsewhere.address() as AddressInfo).port
      moodle.courses[0]!.assignments[0]!.submissions.push(
        { id: 9004, userid: 104, status: 'submitted', files: [{ filename: 'away.pdf', bytes: pdf('tim'), mimetype: 'application/pdf', listedAt: `http://127.0.0.1:${port}/webservice/pluginfile.php/1/away.pdf` }] },
        { id: 9005, userid: 104, status: 'submitted', files: [{ filename: 'huge.pdf', bytes: Buffer.concat([pdf('big'), Buffer.alloc(5000)]), mimetype: 'application/pdf' }] },
      )
      const answer = await admin.ok<{ downloadedErrors: Row[] }>('documentDownloadMoodleSubmissions', { options: { assignmentID: 731 }, submissions: [{ submissionId: 9004 }, { submissionId: 9005 }] })
      expect(answer.downloadedErrors.map((entry) => entry.message)).toEqual([
        "Moodle listed the file away.pdf outside its web-service file endpoint; it is not downloaded",
        'the download of huge.pdf has more than 4096 bytes, the most Folio takes (FOLIO_MAX_UPLOAD_BYTES for files, FOLIO_MOODLE_MAX_RESPONSE_BYTES for answers)',
      ])
      expect(foreign).toEqual([])
      expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM submission WHERE ext_id IN (9004, 9005)')).toEqual([{ n: 0 }])
    } finally {
      elsewhere.closeAllConnections()
      await new Promise((resolve) => elsewhere.close(resolve))
    }
  })

  it('publishes review links as feedback comments, each on the right user, and reports the ones Moodle refuses', async () => {
    const admin = await configuredAdmin()
    const answer = await admin.ok('documentPublishReviewLinks', {
      options: { assignmentID: 731 },
      feedback: [
        { extId: 101, text: 'Your reviews:\nhttps://folio.example/session/a1' },
        { extId: 102, text: 'Your reviews:\nhttps://folio.example/session/b2' },
        { extId: 555, text: 'not enrolled' },
      ],
    })
    expect(answer).toEqual({ published: [101, 102], errors: [{ extId: 555, message: 'Moodle refused mod_assign_save_grade (usernotincourse): User is not enrolled in this course' }] })
    expect(moodle.feedback.map(({ userid, grade, text, format }) => ({ userid, grade, text, format }))).toEqual([
      // Ada's grade of 85 stays; the original posted 100 for everyone.
      { userid: 101, grade: '85.00000', text: 'Your reviews:\nhttps://folio.example/session/a1', format: '0' },
      { userid: 102, grade: '-1', text: 'Your reviews:\nhttps://folio.example/session/b2', format: '0' },
    ])
    expect(moodle.courses[0]!.assignments[0]!.grades.get(101)).toBe('85.00000')
  })

  it('Moodle errors come back as clear answers: a wrong token, an unknown course or assignment, no configuration, a timeout', async () => {
    const admin = await configuredAdmin({ 'rpc.moodleAPI.apiKey': 'not-the-token' })
    const { status, body } = await rpc(setup.server.url, 'assignmentGetInfo', {}, await login(setup.server.url, 'admin', adminPassword))
    expect(status).toBe(502)
    expect(body).toEqual({ success: false, message: 'Moodle refused mod_assign_get_assignments (invalidtoken): Invalid token - token not found; set rpc.moodleAPI.apiKey to a valid web-service token of the site' })

    await admin.ok('settingSave', [{ key: 'rpc.moodleAPI.apiKey', value: token }])
    expect(await admin.ok('assignmentGetInfo', {})).toEqual([
      { id: 31, cmid: 731, name: 'Exposé', dueDate: 1_767_225_600 },
      { id: 32, cmid: 732, name: 'Logins', dueDate: 0 },
    ])
    expect(await admin.call('assignmentGetInfo', { options: { courseID: 6 } })).toMatchObject({ success: false, message: "Moodle shows no course 6 to the token's user: check the course id and that the user is enrolled in it" })
    expect(await admin.call('documentGetMoodleSubmissions', { options: { assignmentID: 799 } })).toMatchObject({ success: false, message: 'Moodle course 5 has no assignment with course module id 799; assignmentGetInfo lists its assignments' })
    expect(await admin.call('userMoodleUserGetAll', { courseID: 6 })).toMatchObject({ success: false, message: "Moodle refused core_enrol_get_enrolled_users (invalidrecord): Can't find data record in database table course.; the course or assignment does not exist on the Moodle site" })

    moodle.delayMs = 2500
    expect(await admin.call('assignmentGetInfo', {})).toMatchObject({ success: false, message: 'Moodle did not answer mod_assign_get_assignments within 2 s; try again, or raise FOLIO_MOODLE_TIMEOUT_MS or FOLIO_MOODLE_DOWNLOAD_TIMEOUT_MS' })
    moodle.delayMs = 0
    await moodle.stop()
    expect(await admin.call('assignmentGetInfo', {})).toMatchObject({ success: false, message: 'the Moodle site cannot be reached (ECONNREFUSED): check rpc.moodleAPI.apiUrl and that the site is up' })

    await admin.ok('settingSave', [{ key: 'rpc.moodleAPI.apiUrl', value: '' }])
    expect(await admin.call('assignmentGetInfo', {})).toMatchObject({
      success: false,
      message: "Moodle is not configured: an administrator sets rpc.moodleAPI.apiUrl (the site's address) and rpc.moodleAPI.apiKey (a web-service token of the site)",
    })
    neverShowsToken(admin)
    expect(JSON.stringify(queryDb(setup.dbPath, 'SELECT * FROM log'))).not.toContain(token)
  })

  it('refuses callers without the rights, and keeps the site and token from non-admins', async () => {
    await configuredAdmin()
    const { events: student } = await setup.connectUser('sam')
    const refused = { id: expect.any(Number), success: false }
    const calls: [string, unknown][] = [
      ['userMoodleUserGetAll', {}],
      ['userPublishMoodle', { options: { assignmentID: 732 }, users: [{ extId: 101, password: 'x' }] }],
      ['assignmentGetInfo', {}],
      ['documentGetMoodleSubmissions', { options: { assignmentID: 731 } }],
      ['documentDownloadMoodleSubmissions', { options: { assignmentID: 731 }, submissions: [{ submissionId: 9001 }] }],
      ['documentPublishReviewLinks', { options: { assignmentID: 731 }, feedback: [{ extId: 101, text: 'x' }] }],
      ['documentUploadSingleSubmission', { userId: 1, files: [{ fileName: 'a.pdf', content: pdf('a').toString('base64') }] }],
    ]
    for (const [event, data] of calls) expect(await student.call(event, data)).toMatchObject(refused)

    // A submissions manager reads the course and imports, but posts nothing to Moodle and imports no users.
    const { events: manager, userId } = await setup.connectUser('mia')
    giveRole(setup.dbPath, userId, 'teacher')
    grantRight(setup.dbPath, 'teacher', manageSubmissionsRight)
    expect(await manager.ok<Row[]>('assignmentGetInfo', {})).toHaveLength(2)
    expect(await manager.call('userMoodleUserGetAll', {})).toMatchObject({ success: false, message: 'only administrators may do this' })
    expect(await manager.call('documentPublishReviewLinks', { options: { assignmentID: 731 }, feedback: [{ extId: 101, text: 'x' }] })).toMatchObject({ success: false, message: 'only administrators may do this' })
    expect(moodle.callsOf('mod_assign_save_grade')).toEqual([])
    expect(moodle.calls.some((call) => call.wsfunction === 'core_enrol_get_enrolled_users')).toBe(false)

    // The site and token are admin settings: not in a non-admin's settings, and a call cannot bring its own.
    const settings = await student.ok<{ appSettings: Record<string, unknown> }>('appInit')
    expect(Object.keys(settings.appSettings).filter((key) => key.startsWith('rpc.moodleAPI'))).toEqual([])
    neverShowsToken(student)
    neverShowsToken(manager)
    expect(await manager.call('assignmentGetInfo', { options: { courseID: 5, apiUrl: 'http://169.254.169.254' } })).toMatchObject({
      success: false,
      message: 'invalid input: options.apiUrl: the Moodle site and token are the admin settings rpc.moodleAPI.apiUrl and rpc.moodleAPI.apiKey; leave them out of the call',
    })
  })

  it('documentUploadSingleSubmission stores one validated submission for a user', async () => {
    const admin = await configuredAdmin()
    const { userId } = await setup.connectUser('ursula')
    const files = (zip: Buffer) => [
      { fileName: 'expose.pdf', content: pdf('ursula').toString('base64') },
      { fileName: 'latex.zip', content: zip.toString('base64') },
    ]
    const refused = await admin.call('documentUploadSingleSubmission', { userId, files: files(latexZip(['notes.txt'])), validationConfigurationId: exposeValidatorId() })
    expect(refused).toMatchObject({ success: false, message: 'required file missing in latex.zip: Main expose LaTeX document' })
    expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM submission WHERE user_id = ?', userId)).toEqual([{ n: 0 }])
    expect(await admin.call('documentUploadSingleSubmission', { userId, files: [{ fileName: 'notes.docx', content: 'UEsDBA==' }] })).toMatchObject({ success: false, message: 'notes.docx: only PDF and ZIP files become documents of a submission' })
    // A submitted ZIP is held to the checks of an uploaded one.
    const escaping = await admin.call('documentUploadSingleSubmission', { userId, files: [{ fileName: 'latex.zip', content: latexZip(['../Expose.tex']).toString('base64') }] })
    expect(escaping).toMatchObject({ success: false, message: expect.stringMatching(/^invalid input: latex\.zip: an entry's name is not a plain path inside the zip/) })
    expect(queryDb(setup.dbPath, 'SELECT count(*) AS n FROM submission WHERE user_id = ?', userId)).toEqual([{ n: 0 }])

    const stored = await admin.ok<{ submissionId: number; documentIds: number[] }>('documentUploadSingleSubmission', { userId, files: files(latexZip(exposeFiles)), group: 1, validationConfigurationId: exposeValidatorId() })
    expect(queryDb(setup.dbPath, 'SELECT user_id, "group", ext_id FROM submission WHERE id = ?', stored.submissionId)).toEqual([{ user_id: userId, group: 1, ext_id: null }])
    expect(queryDb(setup.dbPath, 'SELECT document_id FROM submission_document WHERE submission_id = ? ORDER BY document_id', stored.submissionId).map((row) => (row as Row).document_id)).toEqual(stored.documentIds)
  })
})
