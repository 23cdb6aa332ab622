import { and, eq, inArray } from 'drizzle-orm'
import { manageSubmissionsRight, rpcInputs } from '../../schema/index.js'
import { submission, user } from '../../schema/db/index.js'
import type { DocumentsConfig, MoodleConfig } from '../config.js'
import { decodeUpload, type FileStore } from '../documents/index.js'
import { FolioError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import { assignmentsOf, enrolledUsersOf, findAssignment, publishFeedback, submissionsOf } from './course.js'
import { MoodleClient } from './MoodleClient.js'
import { courseIdOf, moodleConnection } from './moodleSettings.js'
import { storeSubmission } from './storeSubmission.js'
import { loadValidationRules, type SubmittedFile, validateSubmissionFiles } from './submissionFiles.js'

export interface MoodleRpcDeps {
  /** Where submitted files are stored, the documents' file store. */
  store: FileStore
  limits: MoodleConfig
  /** The limits of uploaded files, which a submission's files are held to as well (`FOLIO_MAX_UPLOAD_BYTES`, the zip limits). */
  documents: DocumentsConfig
}

interface AssignmentOptions {
  courseID?: number | undefined
  assignmentID: number
}

/** Live accounts by their `extId` (a Moodle user id). */
async function accountsByExtId(ctx: RpcContext, extIds: readonly number[]) {
  const texts = [...new Set(extIds.map(String))]
  const rows = texts.length === 0 ? [] : await ctx.db.select({ id: user.id, userName: user.userName, extId: user.extId }).from(user).where(and(inArray(user.extId, texts), eq(user.deleted, false)))
  return new Map(rows.map((row) => [Number(row.extId), row]))
}

/**
 * The Moodle events: a course's users and assignments, an assignment's submissions and their
 * import, feedback comments (login data, review links), and the upload of one submission.
 * Moodle's site and token are the admin settings `rpc.moodleAPI.*`, read at each call and never
 * answered. Reading a course and importing submissions needs the submissions right, the user
 * import and every post to Moodle admins; the original checked only `documentPublishReviewLinks`.
 */
export function registerMoodleEvents(rpc: RpcRegistry, { store, limits, documents }: MoodleRpcDeps): void {
  const maxFileBytes = documents.maxUploadBytes
  const managers = { right: manageSubmissionsRight }
  const clientOf = async (ctx: RpcContext) => new MoodleClient(await moodleConnection(ctx.db), limits)
  const assignmentOf = async (ctx: RpcContext, client: MoodleClient, options: AssignmentOptions) => findAssignment(client, await courseIdOf(ctx.db, options.courseID), options.assignmentID)

  rpc.define('userMoodleUserGetAll', rpcInputs.userMoodleUserGetAll, async (input, ctx) => {
    const users = await enrolledUsersOf(await clientOf(ctx), await courseIdOf(ctx.db, input?.courseID))
    const emails = users.flatMap((entry) => (entry.email ? [entry.email] : []))
    const known = new Set(
      emails.length === 0 ? [] : (await ctx.db.select({ email: user.email }).from(user).where(and(inArray(user.email, emails), eq(user.deleted, false)))).map((row) => row.email),
    )
    return users.map((entry) => ({ ...entry, exists: entry.email !== null && known.has(entry.email) }))
  }, { access: 'admin' })

  rpc.define('assignmentGetInfo', rpcInputs.assignmentGetInfo, async (input, ctx) => {
    return assignmentsOf(await clientOf(ctx), await courseIdOf(ctx.db, input?.options?.courseID))
  }, { access: managers })

  rpc.define('userPublishMoodle', rpcInputs.userPublishMoodle, async ({ options, users }, ctx) => {
    const accounts = await accountsByExtId(ctx, users.map((entry) => entry.extId))
    const unknown = users.filter((entry) => !accounts.has(entry.extId)).map((entry) => entry.extId)
    if (unknown.length > 0) throw new NotFoundError(`no Folio account has the Moodle user id ${unknown.join(', ')}; import them with userBulkCreate first`)
    const client = await clientOf(ctx)
    const feedback = users.map((entry) => ({ extId: entry.extId, text: `Username: ${accounts.get(entry.extId)!.userName}\nPassword: ${entry.password}` }))
    return publishFeedback(client, await assignmentOf(ctx, client, options), feedback)
  }, { access: 'admin' })

  rpc.define('documentPublishReviewLinks', rpcInputs.documentPublishReviewLinks, async ({ options, feedback }, ctx) => {
    const client = await clientOf(ctx)
    return publishFeedback(client, await assignmentOf(ctx, client, options), feedback.map(({ extId, text }) => ({ extId, text })))
  }, { access: 'admin' })

  /** The assignment's submissions with the Folio account of each student, if imported, and whether each was imported before. */
  const listSubmissions = async (ctx: RpcContext, client: MoodleClient, options: AssignmentOptions) => {
    const courseId = await courseIdOf(ctx.db, options.courseID)
    const assignment = await findAssignment(client, courseId, options.assignmentID)
    const [submissions, enrolled] = await Promise.all([submissionsOf(client, assignment), enrolledUsersOf(client, courseId)])
    const accounts = await accountsByExtId(ctx, submissions.map((entry) => entry.userId))
    const ids = submissions.map((entry) => entry.id)
    const imported = new Set(
      ids.length === 0 ? [] : (await ctx.db.select({ extId: submission.extId }).from(submission).where(and(inArray(submission.extId, ids), eq(submission.deleted, false)))).map((row) => row.extId),
    )
    const names = new Map(enrolled.map((entry) => [entry.extId, entry]))
    return submissions.map((entry) => ({ entry, account: accounts.get(entry.userId) ?? null, student: names.get(String(entry.userId)) ?? null, exists: imported.has(entry.id) }))
  }

  rpc.define('documentGetMoodleSubmissions', rpcInputs.documentGetMoodleSubmissions, async ({ options }, ctx) => {
    return (await listSubmissions(ctx, await clientOf(ctx), options)).map(({ entry, account, student, exists }) => ({
      submissionId: entry.id,
      userid: entry.userId,
      userId: account?.id ?? null,
      firstName: student?.firstName ?? null,
      lastName: student?.lastName ?? null,
      status: entry.status,
      timemodified: entry.timeModified,
      // Without their addresses: the server fetches the files itself, with the token.
      files: entry.files.map(({ fileName, fileSize, mimeType, timeModified }) => ({ fileName, fileSize, mimeType, timeModified })),
      exists,
    }))
  }, { access: managers })

  rpc.define('documentDownloadMoodleSubmissions', rpcInputs.documentDownloadMoodleSubmissions, async (input, ctx) => {
    const rules = input.validationConfigurationId == null ? null : await loadValidationRules(ctx.db, input.validationConfigurationId)
    const client = await clientOf(ctx)
    // The files come from Moodle's own answer, never from the call: the original downloaded whatever URLs its client sent.
    const listed = new Map((await listSubmissions(ctx, client, input.options)).map((item) => [item.entry.id, item]))
    const wanted = [...new Set(input.submissions.map((entry) => entry.submissionId))]
    const downloadedSubmissions: { submissionId: number; extId: number; documentIds: number[] }[] = []
    const downloadedErrors: { submissionId: number; userId: number | null; message: string }[] = []
    for (const [index, moodleId] of wanted.entries()) {
      const item = listed.get(moodleId)
      try {
        if (!item) throw new NotFoundError(`the assignment has no Moodle submission ${moodleId}`)
        if (!item.account) throw new NotFoundError(`Moodle user ${item.entry.userId} has no Folio account; import the course's users first (userMoodleUserGetAll, userBulkCreate)`)
        if (item.entry.files.length === 0) throw new InvalidInputError(`Moodle submission ${moodleId} has no files`)
        // Every file is fetched before anything is written: a failed download leaves no submission behind.
        const files: SubmittedFile[] = []
        for (const file of item.entry.files) files.push({ fileName: file.fileName, bytes: await client.download(file.fileUrl, file.fileName, maxFileBytes) })
        if (rules) validateSubmissionFiles(files, rules)
        const stored = await storeSubmission(ctx, store, documents, { userId: item.account.id, extId: moodleId, group: input.group, validationConfigurationId: input.validationConfigurationId }, files)
        downloadedSubmissions.push({ submissionId: stored.submission.id, extId: moodleId, documentIds: stored.documents.map((doc) => doc.id) })
      } catch (error) {
        // A refusal of this submission (a failed download, a missing file) is reported; anything else (shutdown) ends the import.
        if (!(error instanceof FolioError)) throw error
        downloadedErrors.push({ submissionId: moodleId, userId: item?.account?.id ?? null, message: error.message })
      }
      ctx.emit('progressUpdate', { id: input.progressId ?? null, current: index + 1, total: wanted.length })
    }
    return { downloadedSubmissions, downloadedErrors }
  }, { access: managers, pushes: ['progressUpdate', 'submissionRefresh', 'documentRefresh'] })

  rpc.define('documentUploadSingleSubmission', rpcInputs.documentUploadSingleSubmission, async (input, ctx) => {
    const [owner] = await ctx.db.select({ id: user.id }).from(user).where(and(eq(user.id, input.userId), eq(user.deleted, false))).limit(1)
    if (!owner) throw new NotFoundError(`user ${input.userId} does not exist`)
    const files = input.files.map(({ fileName, content }, index) => ({ fileName, bytes: decodeUpload(`files.${index}.content`, content, maxFileBytes) }))
    if (input.validationConfigurationId != null) validateSubmissionFiles(files, await loadValidationRules(ctx.db, input.validationConfigurationId))
    const stored = await storeSubmission(ctx, store, documents, { userId: owner.id, group: input.group, validationConfigurationId: input.validationConfigurationId }, files)
    return { submissionId: stored.submission.id, documentIds: stored.documents.map((doc) => doc.id) }
  }, { access: managers, pushes: ['submissionRefresh', 'documentRefresh'] })
}
