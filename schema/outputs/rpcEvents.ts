import { z } from 'zod'
import type { rpcInputs } from '../inputs/rpcEvents.js'
import { recordEventOutputs } from './records.js'
import { moodleEventOutputs } from './moodle.js'
import { reviewEventOutputs } from './reviews.js'
import { shareEventOutputs } from './shares.js'
import { serviceEventOutputs } from './services.js'
import { userEventOutputs } from './users.js'
import { documentDataRow, documentRow, roomParticipantSummary, roomRow, settingRow, studyRow, studySessionRow, tagRow, userRow, versionRow } from './rows.js'

const id = z.number().int()

/** A Quill delta op; a document's content travels as `{ops}`. */
const deltaOp = z.strictObject({
  insert: z.unknown().optional(),
  retain: z.number().int().optional(),
  delete: z.number().int().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
})
const deltas = z.strictObject({ ops: z.array(deltaOp) })

/** What a client opens to follow a document live (`documentOpen`, `documentSubscribe`). */
const liveDocs = z.strictObject({ documentId: id, contentDoc: z.string().nullable(), annotationsDoc: z.string(), canEdit: z.boolean() })

/** HTML and MODAL documents come with their content, PDFs with their file (base64). */
const documentWithContent = z.union([z.strictObject({ document: documentRow, deltas }), z.strictObject({ document: documentRow, file: z.string() })])

/**
 * An entry of an annotations doc as a row (`creator_name` added). Its fields are the Yjs map's,
 * which clients write too, so fields beyond these pass; a removed entry is `{id, documentId, deleted: true}`.
 */
const entryRow = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.union([
    z.looseObject({ id: z.string(), documentId: id, userId: id.nullable(), deleted: z.boolean(), createdAt: z.string(), updatedAt: z.string(), creator_name: z.string().nullable(), ...shape }),
    z.strictObject({ id: z.string(), documentId: id, deleted: z.literal(true) }),
  ])
const annotationRow = entryRow({ tagId: id.nullable(), selectors: z.unknown(), text: z.string(), draft: z.boolean(), anonymous: z.boolean() })
const commentRow = entryRow({
  annotationId: z.string().nullable(),
  parentCommentId: z.string().nullable(),
  text: z.string(),
  draft: z.boolean(),
  anonymous: z.boolean(),
  tags: z.array(z.unknown()),
})
const voteRow = entryRow({ commentId: z.string(), vote: z.union([z.literal(1), z.literal(-1)]) })

const namedRole = z.strictObject({ id, name: z.string() })
const tableField = z.strictObject({
  name: z.string(),
  type: z.string(),
  required: z.boolean(),
  default: z.unknown().optional(),
  values: z.array(z.string()).optional(),
  table: z.string().optional(),
})

/**
 * The answer of every RPC event, by event name, beside `rpcInputs`: the `data` of a successful
 * answer, over HTTP and the events socket alike. `client.rpc(event, input)` resolves this type
 * (`unknown` for an event missing here; test/clients/rpcOutputs.test.ts fails while one is).
 */
export const rpcOutputs = {
  appInit: z.strictObject({
    appUser: userRow.extend({ roles: z.array(namedRole), rights: z.array(z.string()), isAdmin: z.boolean() }),
    appTables: z.array(z.strictObject({ name: z.string(), fields: z.array(tableField) })),
    appSettings: z.record(z.string(), z.string().nullable()),
    appSystemRoles: z.array(namedRole),
  }),
  /** The subscription's id; the rows arrive as `<table>Refresh`. */
  subscribeAppData: z.uuid(),
  unsubscribeAppData: z.uuid(),
  /** The written row's key: its id, or its key columns for a table keyed by several. */
  appDataUpdate: z.union([id, z.string(), z.record(z.string(), z.unknown())]),
  /** The rows, as `<table>Refresh` pushes them too (secret columns never among them). */
  appData: z.array(z.record(z.string(), z.unknown())),
  appDataByHash: z.array(z.record(z.string(), z.unknown())),
  appSettingSet: z.null(),
  settingGetData: z.array(settingRow),
  settingSave: z.null(),
  documentCreate: documentRow,
  /** A PDF's own highlights and notes come back as the annotations made of them; `errors` says what was not imported. */
  documentAdd: z.strictObject({ doc: documentRow, annotations: z.array(annotationRow), errors: z.array(z.string()) }),
  documentGet: documentWithContent,
  documentGetByHash: documentRow,
  documentGetDeltas: deltas,
  /** A PDF comes with the tags its annotations may use instead of its file. */
  documentGetData: z.union([documentWithContent, z.strictObject({ document: documentRow, tags: z.array(tagRow) })]),
  documentEdit: z.null(),
  documentPublish: documentRow,
  documentUpdate: documentRow,
  documentGetAll: z.array(documentRow),
  documentSubscribe: liveDocs,
  documentUnsubscribe: z.null(),
  documentOpen: liveDocs,
  documentClose: z.null(),
  documentDataSave: documentDataRow,
  /** Values by key: the plain document's, overridden by the session's own. */
  documentDataGet: z.record(z.string(), z.unknown()),
  annotationUpdate: annotationRow,
  annotationGet: annotationRow,
  annotationGetByDocument: z.array(annotationRow),
  /** The PDF in base64 with `embedded` annotations in it; those whose text was not found are `skipped`. */
  annotationEmbed: z.strictObject({
    documentId: id,
    hash: z.string(),
    file: z.string(),
    embedded: z.number().int(),
    skipped: z.array(z.strictObject({ annotationId: z.string(), reason: z.string() })),
  }),
  commentUpdate: commentRow,
  commentGet: commentRow,
  commentGetByDocument: z.array(commentRow),
  commentVote: z.strictObject({ commentId: z.string(), vote: z.union([z.literal(1), z.literal(-1), z.literal(0)]) }),
  commentVoteGetByDocument: z.array(voteRow),
  /** An existing collab id back, or a new one with its hash. */
  collabUpdate: z.union([z.strictObject({ collabId: z.string() }), z.strictObject({ collabId: z.string(), collabHash: z.string() })]),
  versionCreate: versionRow,
  versionList: z.array(versionRow),
  versionRestore: z.strictObject({ version: versionRow, changed: z.boolean(), seq: z.number().int() }),
  roomCreate: roomRow,
  roomGet: roomRow.extend({
    participants: z.array(roomParticipantSummary),
    assets: z.array(z.strictObject({ id: z.string(), kind: z.string(), filename: z.string(), size: z.number().int(), createdAt: z.iso.datetime() })),
  }),
  roomDelete: z.strictObject({ roomId: z.string() }),
  /** The guest link's token, shown once. */
  roomGuestLinkCreate: z.strictObject({ roomId: z.string(), token: z.string() }),
  studySaveAsTemplate: studyRow,
  studyCloseBulk: z.strictObject({ closed: z.array(id) }),
  studySessionStart: studySessionRow,
  studySessionSubscribe: z.null(),
  studySessionUnsubscribe: z.null(),
  ...userEventOutputs,
  ...reviewEventOutputs,
  ...recordEventOutputs,
  ...moodleEventOutputs,
  ...shareEventOutputs,
  ...serviceEventOutputs,
} as const satisfies { [E in keyof typeof rpcInputs]?: z.ZodType }

/** What `event` answers (its `data`). */
export type RpcOutput<E extends keyof typeof rpcOutputs> = z.output<(typeof rpcOutputs)[E]>
