import { z } from 'zod'
import { participantKinds, participantRoles, tagColorCodes } from '../wire/columnValues.js'

/*
 * Table rows as answers carry them: JSON, so a timestamp column arrives as an ISO string. Each
 * schema lists every column of its table (test/clients/rpcOutputs.test.ts holds them to the
 * tables), and is strict: a column added to a table fails that test until it is added here.
 */

const id = z.number().int()
/** A timestamp column, as JSON carries a Date. */
const timestamp = z.iso.datetime()
const audit = { deleted: z.boolean(), deletedAt: timestamp.nullable(), createdAt: timestamp, updatedAt: timestamp }

export const documentRow = z.strictObject({
  id,
  name: z.string(),
  hash: z.string(),
  userId: id,
  public: z.boolean(),
  type: z.number().int(),
  projectId: id.nullable(),
  parentDocumentId: id.nullable(),
  hideInFrontend: z.boolean(),
  originalFilename: z.string().nullable(),
  readyForReview: z.boolean(),
  uploadedByUserId: id.nullable(),
  fileHash: z.string().nullable(),
  fileSize: z.number().int().nullable(),
  ...audit,
})

export const documentDataRow = z.strictObject({
  id,
  userId: id,
  documentId: id,
  studySessionId: id.nullable(),
  studyStepId: id.nullable(),
  key: z.string(),
  value: z.unknown(),
  ...audit,
})

export const tagRow = z.strictObject({
  id,
  name: z.string(),
  description: z.string().nullable(),
  colorCode: z.enum(tagColorCodes),
  userId: id,
  public: z.boolean(),
  tagSetId: id,
  ...audit,
})

/** A named version, with its creator's user name. */
export const versionRow = z.strictObject({
  id,
  documentId: id,
  name: z.string(),
  seq: z.number().int(),
  userId: id,
  createdAt: timestamp,
  creator_name: z.string().nullable(),
})

export const roomRow = z.strictObject({
  id: z.string(),
  title: z.string(),
  createdBy: id,
  createdAt: timestamp,
  padCreatedAt: timestamp.nullable(),
})

export const settingRow = z.strictObject({
  key: z.string(),
  value: z.string().nullable(),
  type: z.string(),
  description: z.string().nullable(),
  onlyAdmin: z.boolean(),
})

export const studyRow = z.strictObject({
  id,
  name: z.string(),
  hash: z.string(),
  userId: id,
  createdByUserId: id.nullable(),
  workflowId: id,
  collab: z.boolean(),
  tagSetId: id.nullable(),
  resumable: z.boolean(),
  description: z.string().nullable(),
  timeLimit: z.number().int(),
  multipleSubmit: z.boolean(),
  limitSessions: z.number().int(),
  limitSessionsPerUser: z.number().int(),
  closed: timestamp.nullable(),
  userIdClosed: id.nullable(),
  template: z.boolean(),
  start: timestamp.nullable(),
  end: timestamp.nullable(),
  projectId: id.nullable(),
  anonymize: z.boolean(),
  parentStudyId: id.nullable(),
  ...audit,
})

export const studySessionRow = z.strictObject({
  id,
  hash: z.string(),
  studyId: id,
  userId: id,
  studyStepId: id.nullable(),
  numberSteps: z.number().int(),
  studyStepIdMax: id.nullable(),
  start: timestamp.nullable(),
  end: timestamp.nullable(),
  ...audit,
})

/** An account without its secrets (the password hash never leaves the server). */
export const userRow = z.strictObject({
  id,
  userName: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  acceptTerms: z.boolean(),
  acceptStats: z.boolean(),
  acceptDataSharing: z.boolean(),
  acceptedAt: timestamp.nullable(),
  lastLoginAt: timestamp.nullable(),
  extId: z.string().nullable(),
  ...audit,
})

export const roomParticipantSummary = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  role: z.enum(participantRoles),
  kind: z.enum(participantKinds),
  joinedAt: timestamp,
})

export const configurationRow = z.strictObject({
  id,
  name: z.string(),
  description: z.string().nullable(),
  userId: id,
  hideInFrontend: z.boolean(),
  type: z.number().int(),
  content: z.unknown(),
  ...audit,
})

export const submissionRow = z.strictObject({
  id,
  userId: id,
  createdByUserId: id.nullable(),
  projectId: id.nullable(),
  parentSubmissionId: id.nullable(),
  extId: z.number().int().nullable(),
  group: z.number().int().nullable(),
  additionalSettings: z.unknown(),
  validationConfigurationId: id.nullable(),
  ...audit,
})

/** A log entry, with its user's name (null for the server's own lines and deleted accounts). */
export const logRow = z.strictObject({
  id,
  level: z.string(),
  message: z.string(),
  service: z.string(),
  meta: z.unknown(),
  userId: id.nullable(),
  timestamp,
  creator_name: z.string().nullable(),
})

export const statisticRow = z.strictObject({
  id,
  action: z.string(),
  data: z.unknown(),
  userId: id,
  session: z.string().nullable(),
  timestamp,
})
