import { z } from 'zod'
import { NotFoundError, UpstreamRefusedError } from '../errors.js'
import { describeIssues } from '../http/body.js'
import type { MoodleClient } from './MoodleClient.js'

/*
 * The web-service functions Folio uses, each with the part of its answer Folio reads. Moodle is
 * an outside system: its answers are checked like any other input (fields Folio does not read
 * pass unchecked, as newer Moodle versions add some).
 */

const moodleId = z.number().int().nonnegative()
const enrolledUsers = z.array(
  z.looseObject({
    id: moodleId,
    firstname: z.string().optional(),
    lastname: z.string().optional(),
    // Missing when the token's user may not see addresses.
    email: z.string().optional(),
    roles: z.array(z.looseObject({ shortname: z.string() })).optional(),
  }),
)
const courseAssignments = z.looseObject({
  courses: z.array(
    z.looseObject({
      id: moodleId,
      assignments: z.array(z.looseObject({ id: moodleId, cmid: moodleId, name: z.string(), duedate: z.number().optional() })),
    }),
  ),
})
const moodleFile = z.looseObject({
  filename: z.string(),
  filepath: z.string().optional(),
  filesize: z.number().optional(),
  fileurl: z.string(),
  mimetype: z.string().optional(),
  timemodified: z.number().optional(),
})
const assignmentSubmissions = z.looseObject({
  assignments: z.array(
    z.looseObject({
      assignmentid: moodleId,
      submissions: z.array(
        z.looseObject({
          id: moodleId,
          userid: moodleId,
          status: z.string(),
          timemodified: z.number().optional(),
          plugins: z.array(z.looseObject({ type: z.string(), fileareas: z.array(z.looseObject({ area: z.string(), files: z.array(moodleFile).optional() })).optional() })).optional(),
        }),
      ),
    }),
  ),
})
const assignmentGrades = z.looseObject({
  assignments: z.array(z.looseObject({ assignmentid: moodleId, grades: z.array(z.looseObject({ userid: moodleId, grade: z.string() })) })),
})

async function callChecked<S extends z.ZodType>(client: MoodleClient, wsfunction: string, params: Parameters<MoodleClient['call']>[1], shape: S): Promise<z.infer<S>> {
  const parsed = shape.safeParse(await client.call(wsfunction, params))
  if (!parsed.success) throw new UpstreamRefusedError(`Moodle's answer to ${wsfunction} has an unexpected shape (${describeIssues(parsed.error).replace(/^invalid input: /, '')}); is the site a supported Moodle version?`)
  return parsed.data
}

export interface EnrolledUser {
  /** The Moodle user id, as text: the `extId` of the Folio account imported from it. */
  extId: string
  firstName: string
  lastName: string
  email: string | null
  /** Moodle role short names (`student`, `editingteacher`), which `system.users.roleMap` translates. */
  roles: string[]
}

/** `core_enrol_get_enrolled_users`: everyone enrolled in the course. */
export async function enrolledUsersOf(client: MoodleClient, courseId: number): Promise<EnrolledUser[]> {
  const users = await callChecked(client, 'core_enrol_get_enrolled_users', { courseid: courseId }, enrolledUsers)
  return users.map((entry) => ({
    extId: String(entry.id),
    firstName: entry.firstname ?? '',
    lastName: entry.lastname ?? '',
    email: entry.email ? entry.email.toLowerCase() : null,
    roles: (entry.roles ?? []).map((role) => role.shortname),
  }))
}

export interface MoodleAssignment {
  /** The assignment's instance id, which the `mod_assign_*` functions take. */
  id: number
  /** Its course module id, which its address shows and which calls name it by. */
  cmid: number
  name: string
  /** Unix seconds; 0 when it has none. */
  dueDate: number
}

/** `mod_assign_get_assignments`: the course's assignments; NotFound when Moodle shows no such course to the token. */
export async function assignmentsOf(client: MoodleClient, courseId: number): Promise<MoodleAssignment[]> {
  const answer = await callChecked(client, 'mod_assign_get_assignments', { courseids: [courseId] }, courseAssignments)
  const course = answer.courses.find((entry) => entry.id === courseId)
  if (!course) throw new NotFoundError(`Moodle shows no course ${courseId} to the token's user: check the course id and that the user is enrolled in it`)
  return course.assignments.map((entry) => ({ id: entry.id, cmid: entry.cmid, name: entry.name, dueDate: entry.duedate ?? 0 }))
}

/** The course's assignment with course module id `cmid`. */
export async function findAssignment(client: MoodleClient, courseId: number, cmid: number): Promise<MoodleAssignment> {
  const found = (await assignmentsOf(client, courseId)).find((entry) => entry.cmid === cmid)
  if (!found) throw new NotFoundError(`Moodle course ${courseId} has no assignment with course module id ${cmid}; assignmentGetInfo lists its assignments`)
  return found
}

export interface MoodleSubmissionFile {
  fileName: string
  fileUrl: string
  fileSize: number
  mimeType: string
  timeModified: number
}

export interface MoodleSubmission {
  /** Moodle's submission id: the `extId` of the Folio submission imported from it. */
  id: number
  /** The Moodle user who handed it in. */
  userId: number
  status: string
  timeModified: number
  files: MoodleSubmissionFile[]
}

/** `mod_assign_get_submissions`: the assignment's submissions with the files of their file areas. */
export async function submissionsOf(client: MoodleClient, assignment: MoodleAssignment): Promise<MoodleSubmission[]> {
  const answer = await callChecked(client, 'mod_assign_get_submissions', { assignmentids: [assignment.id] }, assignmentSubmissions)
  const submissions = answer.assignments.find((entry) => entry.assignmentid === assignment.id)?.submissions ?? []
  return submissions.map((entry) => ({
    id: entry.id,
    userId: entry.userid,
    status: entry.status,
    timeModified: entry.timemodified ?? 0,
    files: (entry.plugins ?? [])
      .flatMap((plugin) => plugin.fileareas ?? [])
      .flatMap((area) => area.files ?? [])
      .map((file) => ({ fileName: file.filename, fileUrl: file.fileurl, fileSize: file.filesize ?? 0, mimeType: file.mimetype ?? '', timeModified: file.timemodified ?? 0 })),
  }))
}

/** A feedback comment for one Moodle user. */
export interface Feedback {
  extId: number
  text: string
}

/**
 * Posts each text as its user's feedback comment on the assignment (`mod_assign_save_grade`),
 * one call per user, keeping the grade they have (`mod_assign_get_grades`; -1, Moodle's "not
 * graded", for those without one). The original posted a grade of 100 for everyone, so sending
 * login data or review links overwrote the real grades. Answers who got their comment and the
 * Moodle refusals of the others; a timeout or an unreachable site ends the run.
 */
export async function publishFeedback(client: MoodleClient, assignment: MoodleAssignment, feedback: readonly Feedback[]) {
  const grades = await callChecked(client, 'mod_assign_get_grades', { assignmentids: [assignment.id] }, assignmentGrades)
  const gradeOf = new Map((grades.assignments.find((entry) => entry.assignmentid === assignment.id)?.grades ?? []).map((entry) => [entry.userid, entry.grade]))
  const published: number[] = []
  const errors: { extId: number; message: string }[] = []
  for (const { extId, text } of feedback) {
    try {
      await client.call('mod_assign_save_grade', {
        assignmentid: assignment.id,
        userid: extId,
        grade: gradeOf.get(extId) ?? -1,
        // The latest attempt, without opening a new one.
        attemptnumber: -1,
        addattempt: 0,
        workflowstate: '',
        applytoall: 0,
        plugindata: { assignfeedbackcomments_editor: { text, format: 0 }, files_filemanager: 0 },
      })
      published.push(extId)
    } catch (error) {
      if (!(error instanceof UpstreamRefusedError)) throw error
      errors.push({ extId, message: error.message })
    }
  }
  return { published, errors }
}
