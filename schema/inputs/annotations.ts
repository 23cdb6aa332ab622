import { z } from 'zod'
import { studySessionScope } from './documents.js'

const documentId = z.number().int().positive()
const entryId = z.uuid()
/** Every event may name a study session (and step): it works on the session's own annotations doc. */
const scope = studySessionScope

/** W3C-style selectors as the original stores them: `{target: [{selector: [...]}]}`. */
const selector = z.discriminatedUnion('type', [
  z.object({ type: z.literal('TextPositionSelector'), start: z.number().int().min(0), end: z.number().int().min(0) }),
  z.object({ type: z.literal('TextQuoteSelector'), exact: z.string().max(20_000), prefix: z.string().max(2_000).optional(), suffix: z.string().max(2_000).optional() }),
  z.object({ type: z.literal('PagePositionSelector'), number: z.number().int().min(0) }),
])
export const annotationSelectors = z.object({
  target: z.array(z.object({ selector: z.array(selector).max(10) }).loose()).min(1).max(10),
})

/** `annotationUpdate`: creates (no `annotationId`) or changes an annotation of the document. */
export const annotationUpdateInput = z.strictObject({
  annotationId: entryId.optional(),
  documentId,
  ...scope,
  tagId: z.number().int().positive().nullable().optional(),
  selectors: annotationSelectors.optional(),
  text: z.string().max(2048).optional(),
  draft: z.boolean().optional(),
  anonymous: z.boolean().optional(),
  deleted: z.boolean().optional(),
})

/** `commentUpdate`: creates (no `commentId`) or changes a comment of the document. */
export const commentUpdateInput = z.strictObject({
  commentId: entryId.optional(),
  documentId,
  ...scope,
  annotationId: entryId.nullable().optional(),
  parentCommentId: entryId.nullable().optional(),
  text: z.string().max(4096).optional(),
  draft: z.boolean().optional(),
  anonymous: z.boolean().optional(),
  tags: z.array(z.string().max(200)).max(50).optional(),
  deleted: z.boolean().optional(),
})

/** `commentVote`: the caller's vote on a comment, +1 or -1; 0 withdraws it. */
export const commentVoteInput = z.strictObject({ documentId, ...scope, commentId: entryId, vote: z.union([z.literal(1), z.literal(-1), z.literal(0)]) })

export const annotationGetInput = z.strictObject({ documentId, ...scope, annotationId: entryId })
export const commentGetInput = z.strictObject({ documentId, ...scope, commentId: entryId })
export const byDocumentInput = z.strictObject({ documentId, ...scope })

/** `collabUpdate`, kept for old clients; presence itself is Yjs awareness on the annotations doc. */
export const collabUpdateInput = z.strictObject({
  collabId: z.uuid().optional(),
  documentId,
  ...scope,
  targetType: z.string().max(50).optional(),
  targetId: z.union([z.string().max(100), z.number()]).optional(),
})

/** `annotationEmbed`: the document's PDF with its annotations written in. */
export const annotationEmbedInput = z.strictObject({ documentId })
