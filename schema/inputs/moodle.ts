import { z } from 'zod'

const id = z.number().int().positive()
/** Moodle ids travel as numbers or as the digits of one (forms send text). */
const moodleId = z.union([id, z.string().regex(/^[1-9][0-9]{0,17}$/, 'a Moodle id: digits only').transform(Number)])

/**
 * Which course and assignment of the Moodle site a call is about. The site's address and its
 * web-service token are admin settings (`rpc.moodleAPI.apiUrl`, `rpc.moodleAPI.apiKey`) and never
 * come from a client: the original took both from the call, so any caller could aim the server at
 * any address with any token. `courseID` defaults to the `rpc.moodleAPI.courseID` setting;
 * `assignmentID` is the assignment's course module id (`cmid`, as `assignmentGetInfo` lists it and
 * as it appears in the assignment's address, `mod/assign/view.php?id=<cmid>`).
 */
const fromSettings = z.never({ error: 'the Moodle site and token are the admin settings rpc.moodleAPI.apiUrl and rpc.moodleAPI.apiKey; leave them out of the call' }).optional()
const connection = { apiUrl: fromSettings, apiKey: fromSettings, url: fromSettings }
const courseOptions = z.strictObject({ courseID: moodleId.optional(), ...connection })
const assignmentOptions = z.strictObject({ courseID: moodleId.optional(), assignmentID: moodleId, ...connection })

/** `userMoodleUserGetAll` (admins): the course's enrolled users, ready for `userBulkCreate`; the course as the original's client sends it, at the top. */
export const userMoodleUserGetAllInput = courseOptions.optional()

/** `assignmentGetInfo`: the course's assignments. */
export const assignmentGetInfoInput = z.strictObject({ options: courseOptions.optional() }).optional()

/**
 * `userPublishMoodle` (admins): each imported user's Folio user name and the password
 * `userBulkCreate` answered once, posted as their feedback comment on the assignment. `extId` is the
 * account's Moodle user id; the user name is read from the account, not taken from the call.
 */
export const userPublishMoodleInput = z.strictObject({
  options: assignmentOptions,
  users: z
    .array(z.looseObject({ extId: moodleId, password: z.string().min(1).max(200) }))
    .min(1)
    .max(5000),
})

/** `documentGetMoodleSubmissions`: the assignment's submissions, each marked `exists` when it was imported before. */
export const documentGetMoodleSubmissionsInput = z.strictObject({ options: assignmentOptions })

/**
 * `documentDownloadMoodleSubmissions`: imports the named Moodle submissions (`submissionId`, as
 * `documentGetMoodleSubmissions` answers it; other fields the original's client sends are ignored)
 * with their files, re-read from Moodle by the server, each in a transaction of its own.
 * `validationConfigurationId` names a validation configuration the files must pass.
 */
export const documentDownloadMoodleSubmissionsInput = z.strictObject({
  options: assignmentOptions,
  submissions: z
    .array(z.looseObject({ submissionId: moodleId }))
    .min(1)
    .max(2000),
  group: z.number().int().min(0).nullable().optional(),
  validationConfigurationId: id.nullable().optional(),
  projectId: id.nullable().optional(),
  progressId: z.string().max(200).optional(),
})

/** `documentPublishReviewLinks` (admins): a text per Moodle user (`extId`), posted as their feedback comment on the assignment. */
export const documentPublishReviewLinksInput = z.strictObject({
  options: assignmentOptions,
  feedback: z
    .array(z.looseObject({ extId: moodleId, text: z.string().min(1).max(20_000) }))
    .min(1)
    .max(5000),
})

/** One file handed in: its name and its bytes in base64. */
const submittedFile = z.strictObject({ fileName: z.string().trim().min(1).max(255), content: z.base64() })

/** `documentUploadSingleSubmission`: one submission for `userId`, made of `files`, checked against `validationConfigurationId` when given. */
export const documentUploadSingleSubmissionInput = z.strictObject({
  userId: id,
  files: z.array(submittedFile).min(1).max(20),
  group: z.number().int().min(0).nullable().optional(),
  validationConfigurationId: id.nullable().optional(),
  projectId: id.nullable().optional(),
})

export const moodleEventInputs = {
  userMoodleUserGetAll: userMoodleUserGetAllInput,
  userPublishMoodle: userPublishMoodleInput,
  assignmentGetInfo: assignmentGetInfoInput,
  documentGetMoodleSubmissions: documentGetMoodleSubmissionsInput,
  documentDownloadMoodleSubmissions: documentDownloadMoodleSubmissionsInput,
  documentPublishReviewLinks: documentPublishReviewLinksInput,
  documentUploadSingleSubmission: documentUploadSingleSubmissionInput,
}
