import { z } from 'zod'

const documentId = z.number().int().positive()
/** A study session or step scope; null or absent is the plain document. */
const scopeId = z.number().int().positive().nullable().optional()
/** A call within a study session (its own copies of a document's docs), optionally naming the step. */
export const studySessionScope = { studySessionId: scopeId, studyStepId: scopeId }
const documentName = z.string().trim().min(1).max(255)
const attributes = z.record(z.string().min(1).max(100), z.json())

/** An insert of a Quill delta: text, or an embed such as `{image: url}`. */
const quillInsert = z.strictObject({
  insert: z.union([z.string().min(1), z.record(z.string().min(1).max(100), z.json()).refine((embed) => Object.keys(embed).length === 1, 'an embed has exactly one key')]),
  attributes: attributes.optional(),
})
/** One op of a Quill delta: insert, retain (optionally formatting), or delete. */
const quillOp = z.union([
  quillInsert,
  z.strictObject({ retain: z.number().int().positive(), attributes: z.record(z.string().min(1).max(100), z.json().nullable()).optional() }),
  z.strictObject({ delete: z.number().int().positive() }),
])

/** A Quill delta as Quill serialises it: `{ops: [...]}`. */
export const quillDelta = z.strictObject({ ops: z.array(quillOp).max(100_000) })
export type QuillDelta = z.infer<typeof quillDelta>
export type QuillOp = z.infer<typeof quillOp>

/** A whole document as a Quill delta: inserts only (what Quill's `getContents()` and the original's `.delta` files hold). */
export const quillDocument = z.strictObject({ ops: z.array(quillInsert).max(100_000) })

/** The original's `operationType`: 0 insert, 1 delete, 2 retain with attributes (formatting). */
export const editOperationType = { insert: 0, delete: 1, format: 2 } as const

/**
 * One edit in the original's row format (`deltaToDb`): `offset` is where the op applies in the
 * document as the previous ops of the same call left it.
 */
export const documentEditOp = z
  .strictObject({
    offset: z.number().int().min(0),
    operationType: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    span: z.number().int().min(0).nullable().optional(),
    text: z.string().nullable().optional(),
    attributes: z.record(z.string().min(1).max(100), z.json().nullable()).nullable().optional(),
  })
  .superRefine((op, ctx) => {
    if (op.operationType === editOperationType.insert) {
      if (typeof op.text !== 'string' || op.text.length === 0) ctx.addIssue({ code: 'custom', path: ['text'], message: 'an insert (operationType 0) needs the text to insert' })
    } else if (!op.span) {
      ctx.addIssue({ code: 'custom', path: ['span'], message: `operationType ${op.operationType} needs a span of at least 1` })
    }
  })
export type DocumentEditOp = z.infer<typeof documentEditOp>

/** `documentCreate`: a new, empty HTML (default) or MODAL document owned by the caller. */
export const documentCreateInput = z.strictObject({
  name: documentName,
  type: z.union([z.literal(1), z.literal(2)], { error: 'documentCreate makes HTML (1) or MODAL (2) documents; upload PDFs with documentAdd' }).default(1),
  projectId: scopeId,
  parentDocumentId: scopeId,
  hideInFrontend: z.boolean().optional(),
})

/**
 * `documentAdd`: an upload. Either `file`, a PDF's or a zip's bytes in base64 (a PDF document,
 * or ZIP with `type: 4`; without a type, the bytes say which), or `delta`, a Quill document (an
 * HTML document, or MODAL with `type: 2`). A PDF's own highlights and notes become its
 * annotations unless `importAnnotations` is false. Admins may upload for another owner with `userId`.
 */
export const documentAddInput = z
  .strictObject({
    name: documentName,
    file: z.base64().optional(),
    delta: quillDocument.optional(),
    type: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(4)]).optional(),
    userId: z.number().int().positive().optional(),
    projectId: scopeId,
    originalFilename: z.string().max(255).nullable().optional(),
    importAnnotations: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.file === undefined) === (input.delta === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['file'], message: 'send either file (PDF bytes in base64) or delta (a Quill document), not both or neither' })
    } else if (input.file !== undefined && input.type !== undefined && input.type !== 0 && input.type !== 4) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'an uploaded file is a PDF (type 0) or ZIP (type 4) document' })
    } else if (input.delta !== undefined && (input.type === 0 || input.type === 4)) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'a delta makes an HTML (1) or MODAL (2) document' })
    }
  })

/** `documentGet`, `documentGetData`: a document, optionally within a study session and step. */
export const documentGetInput = z.strictObject({
  documentId,
  studySessionId: scopeId,
  studyStepId: scopeId,
  /** The original's edit-history view; Folio's history is the document's update log. */
  history: z.boolean().optional(),
})

export const documentGetByHashInput = z.strictObject({ documentHash: z.string().min(1).max(100) })

/** Events naming one document: documentGetDeltas, documentPublish, documentUnsubscribe. */
export const documentRefInput = z.strictObject({ documentId })

/** `documentOpen`, `documentSubscribe`: a document to follow live, optionally a study session's copy of it. */
export const documentOpenInput = z.strictObject({ documentId, ...studySessionScope })

/** `documentClose`: the original saved pending edits here; `studySessionId` is accepted as it sent it. */
export const documentCloseInput = z.strictObject({ documentId, studySessionId: scopeId })

/**
 * `documentEdit`: changes an HTML or MODAL document's content, either as the original's `ops`
 * rows or as a Quill `delta`, applied together as one change.
 */
export const documentEditInput = z
  .strictObject({
    documentId,
    studySessionId: scopeId,
    studyStepId: scopeId,
    ops: z.array(documentEditOp).min(1).max(10_000).optional(),
    delta: quillDelta.optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.ops === undefined) === (input.delta === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['ops'], message: 'send either ops (the original edit rows) or delta (a Quill delta), not both or neither' })
    }
  })

/** `documentUpdate`: metadata of a document the caller owns (admins any). */
export const documentUpdateInput = z.strictObject({
  id: documentId,
  name: documentName.optional(),
  public: z.boolean().optional(),
  readyForReview: z.boolean().optional(),
  hideInFrontend: z.boolean().optional(),
  projectId: scopeId,
  parentDocumentId: scopeId,
  originalFilename: z.string().max(255).nullable().optional(),
  deleted: z.boolean().optional(),
})

/** `documentGetAll`: the documents the caller may see; `userId` narrows them to one owner. */
export const documentGetAllInput = z.strictObject({ userId: z.number().int().positive().optional() }).optional()

const dataKey = z.string().min(1).max(255)

/** `documentDataSave`: upserts the value of `key` for the document (within a session and step, if given). */
export const documentDataSaveInput = z.strictObject({
  documentId,
  studySessionId: scopeId,
  studyStepId: scopeId,
  key: dataKey,
  value: z.json(),
})

/** `documentDataGet`: `{key: value}` of the document's data; `key` picks one, or with `partialMatch` every key starting with it. */
export const documentDataGetInput = z.strictObject({
  documentId,
  studySessionId: scopeId,
  studyStepId: scopeId,
  key: dataKey.optional(),
  partialMatch: z.boolean().optional(),
})
