import * as Y from 'yjs'
import { annotationsDoc } from '../../../../schema/index.js'

/**
 * The entries of an `annotations:<id>` doc as the annotator shows them, and the writes it makes
 * there. Entries are flat Y.Maps stamped with `userId`, as the server's RPC events make them
 * (`server/annotations/entries.ts`), so entries written here and there look alike; the server's
 * ownership guard undoes any change to someone else's entry.
 */

/** Where an annotation sits: a page (1-based) and character offsets into that page's text. */
export interface PageQuote {
  page: number
  start: number
  end: number
  exact: string
  prefix: string
  suffix: string
}

export interface AnnotationView {
  id: string
  userId: number | null
  tagId: number | null
  quote: PageQuote | null
  anonymous: boolean
  createdAt: string
  mine: boolean
}

export interface CommentView {
  id: string
  userId: number | null
  annotationId: string | null
  parentCommentId: string | null
  text: string
  anonymous: boolean
  draft: boolean
  createdAt: string
  mine: boolean
  /** Sum of the votes, and the viewer's own vote (1, -1 or 0). */
  score: number
  myVote: number
}

type Fields = Record<string, unknown>

const [annotationsMap, commentsMap, votesMap] = annotationsDoc.collections

function liveEntries(doc: Y.Doc, collection: string): [string, Fields][] {
  const entries: [string, Fields][] = []
  for (const [id, value] of doc.getMap<unknown>(collection)) {
    if (!(value instanceof Y.Map)) continue
    const fields = value.toJSON() as Fields
    if (fields.deleted !== true) entries.push([id, fields])
  }
  return entries
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null)
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/** The page quote of the selectors the annotator writes (and the original's page, position and quote selectors). */
function quoteOf(selectors: unknown): PageQuote | null {
  const list = (selectors as { target?: { selector?: Fields[] }[] } | null)?.target?.[0]?.selector
  if (!Array.isArray(list)) return null
  const find = (type: string) => list.find((selector) => selector?.type === type)
  const page = find('PagePositionSelector')
  const position = find('TextPositionSelector')
  const quote = find('TextQuoteSelector')
  if (typeof page?.number !== 'number' || typeof position?.start !== 'number' || typeof position.end !== 'number') return null
  return {
    page: page.number,
    start: position.start,
    end: position.end,
    exact: String(quote?.exact ?? ''),
    prefix: String(quote?.prefix ?? ''),
    suffix: String(quote?.suffix ?? ''),
  }
}

/** The selectors of a page quote, in the shape `annotationUpdate` takes. */
export function selectorsOf(quote: PageQuote): Fields {
  return {
    target: [
      {
        selector: [
          { type: 'PagePositionSelector', number: quote.page },
          { type: 'TextPositionSelector', start: quote.start, end: quote.end },
          { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
        ],
      },
    ],
  }
}

/** The annotations with a place on a page, in reading order; others' drafts are left out, as the server leaves them out of its rows. */
export function annotationViews(doc: Y.Doc, viewerId: number): AnnotationView[] {
  return liveEntries(doc, annotationsMap)
    .filter(([, fields]) => fields.draft !== true || numberOrNull(fields.userId) === viewerId)
    .map(([id, fields]) => {
      const userId = numberOrNull(fields.userId)
      return { id, userId, tagId: numberOrNull(fields.tagId), quote: quoteOf(fields.selectors), anonymous: fields.anonymous === true, createdAt: String(fields.createdAt ?? ''), mine: userId === viewerId }
    })
    .filter((view) => view.quote !== null)
    .sort((a, b) => a.quote!.page - b.quote!.page || a.quote!.start - b.quote!.start || a.createdAt.localeCompare(b.createdAt))
}

/** Every live comment with its votes, oldest first; others' drafts left out. */
export function commentViews(doc: Y.Doc, viewerId: number): CommentView[] {
  const scores = new Map<string, { score: number; mine: number }>()
  for (const [, vote] of liveEntries(doc, votesMap)) {
    const commentId = stringOrNull(vote.commentId)
    if (!commentId) continue
    const value = vote.vote === 1 || vote.vote === -1 ? vote.vote : 0
    const tally = scores.get(commentId) ?? { score: 0, mine: 0 }
    tally.score += value
    if (numberOrNull(vote.userId) === viewerId) tally.mine = value
    scores.set(commentId, tally)
  }
  return liveEntries(doc, commentsMap)
    .map(([id, fields]) => {
      const userId = numberOrNull(fields.userId)
      const tally = scores.get(id)
      return {
        id,
        userId,
        annotationId: stringOrNull(fields.annotationId),
        parentCommentId: stringOrNull(fields.parentCommentId),
        text: String(fields.text ?? ''),
        anonymous: fields.anonymous === true,
        draft: fields.draft === true,
        createdAt: String(fields.createdAt ?? ''),
        mine: userId === viewerId,
        score: tally?.score ?? 0,
        myVote: tally?.mine ?? 0,
      }
    })
    .filter((view) => !view.draft || view.mine)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

function newEntry(doc: Y.Doc, collection: string, id: string, fields: Fields): void {
  const now = new Date().toISOString()
  const entry = new Y.Map<unknown>()
  for (const [field, value] of Object.entries({ ...fields, deleted: false, createdAt: now, updatedAt: now })) entry.set(field, value)
  doc.getMap<unknown>(collection).set(id, entry)
}

function changeEntry(doc: Y.Doc, collection: string, id: string, fields: Fields): void {
  const entry = doc.getMap<unknown>(collection).get(id)
  if (!(entry instanceof Y.Map)) return
  doc.transact(() => {
    for (const [field, value] of Object.entries(fields)) entry.set(field, value)
    entry.set('updatedAt', new Date().toISOString())
  })
}

/** A new annotation of `quote` with `tagId`, and its first comment (the note, possibly empty), in one transaction. */
export function addAnnotation(doc: Y.Doc, userId: number, input: { quote: PageQuote; tagId: number | null; note: string; anonymous: boolean }): string {
  const id = crypto.randomUUID()
  doc.transact(() => {
    newEntry(doc, annotationsMap, id, { userId, tagId: input.tagId, selectors: selectorsOf(input.quote), text: input.quote.exact, draft: false, anonymous: input.anonymous })
    addComment(doc, userId, { annotationId: id, parentCommentId: null, text: input.note, anonymous: input.anonymous })
  })
  return id
}

/** A comment on an annotation, or a reply to a comment. */
export function addComment(doc: Y.Doc, userId: number, input: { annotationId: string; parentCommentId: string | null; text: string; anonymous: boolean }): void {
  newEntry(doc, commentsMap, crypto.randomUUID(), { userId, annotationId: input.annotationId, parentCommentId: input.parentCommentId, text: input.text, draft: false, anonymous: input.anonymous, tags: [] })
}

/** Removes an annotation of one's own and its comments (soft-deleted, as the server's cascade does). */
export function deleteAnnotation(doc: Y.Doc, userId: number, annotationId: string): void {
  doc.transact(() => {
    changeEntry(doc, annotationsMap, annotationId, { deleted: true })
    for (const [id, fields] of liveEntries(doc, commentsMap)) if (fields.annotationId === annotationId && numberOrNull(fields.userId) === userId) changeEntry(doc, commentsMap, id, { deleted: true })
  })
}

/** Removes a comment of one's own. */
export function deleteComment(doc: Y.Doc, commentId: string): void {
  changeEntry(doc, commentsMap, commentId, { deleted: true })
}

/** The viewer's vote on a comment: +1, -1, or 0 to withdraw it; one per user and comment, keyed as `commentVote` keys it. */
export function vote(doc: Y.Doc, userId: number, commentId: string, value: 1 | -1 | 0): void {
  const id = `${commentId}:${userId}`
  if (value === 0) doc.getMap<unknown>(votesMap).delete(id)
  else newEntry(doc, votesMap, id, { userId, commentId, vote: value })
}
