import { z } from 'zod'

const id = z.number().int()

/** Who got their feedback comment on Moodle (Moodle user ids), and Moodle's refusal for each of the others. */
const publishedFeedback = z.strictObject({
  published: z.array(id),
  errors: z.array(z.strictObject({ extId: id, message: z.string() })),
})

/** The answers of the Moodle events (`rpcOutputs` takes them in). */
export const moodleEventOutputs = {
  /** The course's users in `userBulkCreate`'s terms (without `exists`), `exists` when a Folio account has the address. */
  userMoodleUserGetAll: z.array(
    z.strictObject({
      extId: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      email: z.string().nullable(),
      roles: z.array(z.string()),
      exists: z.boolean(),
    }),
  ),
  /** The course's assignments: `cmid` is what the other Moodle events take as `assignmentID`; `dueDate` in Unix seconds, 0 for none. */
  assignmentGetInfo: z.array(z.strictObject({ id, cmid: id, name: z.string(), dueDate: z.number() })),
  userPublishMoodle: publishedFeedback,
  documentPublishReviewLinks: publishedFeedback,
  /**
   * The assignment's submissions: `submissionId` Moodle's, `userid` the Moodle user, `userId` their
   * Folio account (null before the users are imported), `exists` when imported before. The files
   * come without their addresses: the server downloads them itself.
   */
  documentGetMoodleSubmissions: z.array(
    z.strictObject({
      submissionId: id,
      userid: id,
      userId: id.nullable(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      status: z.string(),
      timemodified: z.number(),
      files: z.array(z.strictObject({ fileName: z.string(), fileSize: z.number(), mimeType: z.string(), timeModified: z.number() })),
      exists: z.boolean(),
    }),
  ),
  /** The Folio submissions made (with their documents), and why each of the others was not. */
  documentDownloadMoodleSubmissions: z.strictObject({
    downloadedSubmissions: z.array(z.strictObject({ submissionId: id, extId: id, documentIds: z.array(id) })),
    downloadedErrors: z.array(z.strictObject({ submissionId: id, userId: id.nullable(), message: z.string() })),
  }),
  documentUploadSingleSubmission: z.strictObject({ submissionId: id, documentIds: z.array(id) }),
}
