import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A Moodle site as Folio's Moodle client sees it: the REST web-service endpoint
 * (/webservice/rest/server.php) with the functions Folio calls, and the web-service file endpoint
 * (/webservice/pluginfile.php). It reads parameters as PHP does (`courseids[0]=5` is a list, a bare
 * `courseids=5` is not), checks the token and each function's parameter types as Moodle's external
 * API does, and answers in Moodle's shapes: its error structure with HTTP 200, files by URL.
 */

export interface MoodleUser {
  id: number
  username: string
  firstname: string
  lastname: string
  email: string
  /** Role short names in the course. */
  roles: string[]
}

export interface MoodleFile {
  filename: string
  bytes: Buffer
  mimetype: string
  /** The file endpoint answers this download with HTTP 500 instead of the file. */
  failDownload?: boolean
  /** Listed at this address instead of the site's file endpoint. */
  listedAt?: string
}

export interface MoodleSubmission {
  id: number
  userid: number
  status: string
  files: MoodleFile[]
}

export interface MoodleAssignment {
  id: number
  cmid: number
  name: string
  duedate: number
  submissions: MoodleSubmission[]
  /** Grades by Moodle user id, as Moodle keeps them ("85.00000"). */
  grades: Map<number, string>
}

export interface MoodleCourse {
  id: number
  fullname: string
  users: MoodleUser[]
  assignments: MoodleAssignment[]
}

/** One web-service call as Moodle decoded it. */
export interface MoodleCall {
  wsfunction: string
  params: Params
  /** The form body as it arrived, to check the encoding. */
  raw: URLSearchParams
}

type Params = { [key: string]: string | Params }
type Answer = unknown

class InvalidParameter extends Error {}

const moodleError = (exception: string, errorcode: string, message: string, debuginfo?: string) => ({ exception, errorcode, message, ...(debuginfo ? { debuginfo } : {}) })

/** PHP's reading of a form body: `a[0][b]=1` becomes `{a: {0: {b: '1'}}}`. */
function phpParams(form: URLSearchParams): Params {
  const root: Params = {}
  for (const [key, value] of form) {
    const path = [key.replace(/\[.*$/, ''), ...[...key.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1]!)]
    let node = root
    for (const [index, part] of path.entries()) {
      if (index === path.length - 1) node[part] = value
      else node = (typeof node[part] === 'object' ? node[part] : (node[part] = {})) as Params
    }
  }
  return root
}

/** A required integer parameter, as PARAM_INT reads it. */
function int(params: Params, name: string): number {
  const value = params[name]
  if (typeof value !== 'string') throw new InvalidParameter(`${name} => Missing required key in single structure: ${name}`)
  if (!/^-?\d+$/.test(value)) throw new InvalidParameter(`${name} => Invalid parameter value detected: ${value} is not an integer`)
  return Number(value)
}

/** A required list of integers: only `name[0]`, `name[1]`, … make one. */
function intList(params: Params, name: string): number[] {
  const value = params[name]
  if (typeof value !== 'object') throw new InvalidParameter(`${name} => Only arrays accepted. The bad value is: '${String(value)}'`)
  const keys = Object.keys(value)
  if (!keys.every((key, index) => key === String(index))) throw new InvalidParameter(`${name} => Only arrays accepted`)
  return keys.map((key) => int(value, key))
}

function text(params: Params, name: string): string {
  const value = params[name]
  if (typeof value !== 'string') throw new InvalidParameter(`${name} => Missing required key in single structure: ${name}`)
  return value
}

export class MoodleServer {
  readonly calls: MoodleCall[] = []
  readonly downloads: string[] = []
  /** The feedback comments posted (`mod_assign_save_grade`), by assignment id. */
  readonly feedback: { assignmentid: number; userid: number; grade: string; text: string; format: string }[] = []
  /** Milliseconds every web-service answer waits. */
  delayMs = 0
  private server: Server | null = null
  url = ''

  constructor(
    readonly token: string,
    readonly courses: MoodleCourse[],
  ) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }

  /** The calls of one function. */
  callsOf(wsfunction: string): MoodleCall[] {
    return this.calls.filter((call) => call.wsfunction === wsfunction)
  }

  private assignment(id: number): MoodleAssignment | undefined {
    return this.courses.flatMap((course) => course.assignments).find((entry) => entry.id === id)
  }

  /** The `fileurl` Moodle lists for a file: the web-service file endpoint, by context, area and item. */
  private fileUrl(submission: MoodleSubmission, file: MoodleFile): string {
    if (file.listedAt) return file.listedAt
    return `${this.url}/webservice/pluginfile.php/${1000 + submission.id}/assignsubmission_file/submission_files/${submission.id}/${encodeURIComponent(file.filename)}`
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url)
    if (url.pathname.startsWith('/webservice/pluginfile.php/')) return this.serveFile(url, response)
    if (url.pathname !== '/webservice/rest/server.php') return void response.writeHead(404).end('Not found')
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = new URLSearchParams(request.method === 'POST' ? Buffer.concat(chunks).toString('utf8') : url.search)
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
    const json = (answer: Answer): void => void response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer))
    // Without moodlewsrestformat=json, Moodle answers XML.
    if (raw.get('moodlewsrestformat') !== 'json') return void response.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE></RESPONSE>')
    if (raw.get('wstoken') !== this.token) return json(moodleError('moodle_exception', 'invalidtoken', 'Invalid token - token not found'))
    const wsfunction = raw.get('wsfunction') ?? ''
    const params = phpParams(raw)
    for (const key of ['wstoken', 'wsfunction', 'moodlewsrestformat']) delete params[key]
    this.calls.push({ wsfunction, params, raw })
    try {
      json(this.answer(wsfunction, params))
    } catch (error) {
      if (!(error instanceof InvalidParameter)) throw error
      json(moodleError('invalid_parameter_exception', 'invalidparameter', 'Invalid parameter value detected', error.message))
    }
  }

  private answer(wsfunction: string, params: Params): Answer {
    switch (wsfunction) {
      case 'core_enrol_get_enrolled_users': {
        const course = this.courses.find((entry) => entry.id === int(params, 'courseid'))
        if (!course) return moodleError('dml_missing_record_exception', 'invalidrecord', "Can't find data record in database table course.")
        return course.users.map((entry) => ({
          id: entry.id,
          username: entry.username,
          firstname: entry.firstname,
          lastname: entry.lastname,
          fullname: `${entry.firstname} ${entry.lastname}`,
          email: entry.email,
          department: '',
          firstaccess: 1_700_000_000,
          lastaccess: 1_700_000_500,
          lastcourseaccess: 1_700_000_400,
          profileimageurlsmall: `${this.url}/theme/image.php/boost/core/1/u/f2`,
          profileimageurl: `${this.url}/theme/image.php/boost/core/1/u/f1`,
          roles: entry.roles.map((shortname, index) => ({ roleid: 5 + index, name: '', shortname, sortorder: 0 })),
          enrolledcourses: [{ id: course.id, fullname: course.fullname, shortname: course.fullname.slice(0, 8) }],
        }))
      }
      case 'mod_assign_get_assignments': {
        const ids = intList(params, 'courseids')
        const found = this.courses.filter((course) => ids.includes(course.id))
        return {
          courses: found.map((course) => ({
            id: course.id,
            fullname: course.fullname,
            shortname: course.fullname.slice(0, 8),
            timemodified: 1_700_000_000,
            assignments: course.assignments.map((entry) => ({
              id: entry.id,
              cmid: entry.cmid,
              course: course.id,
              name: entry.name,
              nosubmissions: 0,
              submissiondrafts: 0,
              duedate: entry.duedate,
              allowsubmissionsfromdate: 0,
              grade: 100,
              timemodified: 1_700_000_000,
              intro: '<p>Hand in your exposé.</p>',
              introformat: 1,
              configs: [{ plugin: 'file', subtype: 'assignsubmission', name: 'enabled', value: '1' }],
            })),
          })),
          warnings: ids.filter((id) => !found.some((course) => course.id === id)).map((id) => ({ item: 'course', itemid: id, warningcode: '1', message: 'No access rights in course context' })),
        }
      }
      case 'mod_assign_get_submissions': {
        const ids = intList(params, 'assignmentids')
        return {
          assignments: ids.flatMap((id) => {
            const entry = this.assignment(id)
            if (!entry) return []
            return [
              {
                assignmentid: id,
                submissions: entry.submissions.map((submission) => ({
                  id: submission.id,
                  userid: submission.userid,
                  attemptnumber: 0,
                  timecreated: 1_700_000_000,
                  timemodified: 1_700_000_100 + submission.id,
                  status: submission.status,
                  groupid: 0,
                  plugins: [
                    {
                      type: 'file',
                      name: 'File submissions',
                      fileareas: [
                        {
                          area: 'submission_files',
                          files: submission.files.map((file) => ({
                            filename: file.filename,
                            filepath: '/',
                            filesize: file.bytes.byteLength,
                            fileurl: this.fileUrl(submission, file),
                            timemodified: 1_700_000_050,
                            mimetype: file.mimetype,
                            isexternalfile: false,
                          })),
                        },
                      ],
                    },
                    { type: 'comments', name: 'Submission comments' },
                  ],
                  gradingstatus: 'notgraded',
                })),
              },
            ]
          }),
          warnings: [],
        }
      }
      case 'mod_assign_get_grades': {
        const ids = intList(params, 'assignmentids')
        return {
          assignments: ids.flatMap((id) => {
            const entry = this.assignment(id)
            return entry ? [{ assignmentid: id, grades: [...entry.grades].map(([userid, grade], index) => ({ id: index + 1, userid, attemptnumber: 0, timecreated: 1_700_000_000, timemodified: 1_700_000_000, grader: 2, grade })) }] : []
          }),
          warnings: [],
        }
      }
      case 'mod_assign_save_grade': {
        const assignmentid = int(params, 'assignmentid')
        const userid = int(params, 'userid')
        const grade = text(params, 'grade')
        if (!/^-?\d+(\.\d+)?$/.test(grade)) throw new InvalidParameter(`grade => Invalid parameter value detected: ${grade} is not a float`)
        for (const name of ['attemptnumber', 'addattempt', 'applytoall']) int(params, name)
        text(params, 'workflowstate')
        const entry = this.assignment(assignmentid)
        if (!entry) return moodleError('dml_missing_record_exception', 'invalidrecord', "Can't find data record in database table assign.")
        if (!this.courses.some((course) => course.assignments.includes(entry) && course.users.some((person) => person.id === userid))) {
          return moodleError('moodle_exception', 'usernotincourse', 'User is not enrolled in this course')
        }
        const plugindata = params.plugindata
        const editor = typeof plugindata === 'object' ? plugindata.assignfeedbackcomments_editor : undefined
        const feedbackText = typeof editor === 'object' ? text(editor, 'text') : ''
        const format = typeof editor === 'object' ? text(editor, 'format') : ''
        entry.grades.set(userid, grade === '-1' ? (entry.grades.get(userid) ?? '-1.00000') : Number(grade).toFixed(5))
        this.feedback.push({ assignmentid, userid, grade, text: feedbackText, format })
        return null
      }
      default:
        return moodleError('dml_missing_record_exception', 'invalidrecord', "Can't find data record in database table external_functions.")
    }
  }

  private serveFile(url: URL, response: ServerResponse): void {
    if (url.searchParams.get('token') !== this.token) {
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Invalid token - token not found', errorcode: 'invalidtoken', stacktrace: null, debuginfo: null }))
    }
    const [, , , , , , itemid, name] = url.pathname.split('/')
    const submission = this.courses.flatMap((course) => course.assignments.flatMap((entry) => entry.submissions)).find((entry) => String(entry.id) === itemid)
    const file = submission?.files.find((entry) => entry.filename === decodeURIComponent(name ?? ''))
    if (!file) return void response.writeHead(404).end('File not found')
    this.downloads.push(file.filename)
    if (file.failDownload) return void response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Error</h1>')
    response.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.byteLength }).end(file.bytes)
  }
}
