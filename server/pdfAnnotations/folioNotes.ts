import { randomUUID } from 'node:crypto'
import type { AnnotationsExport, ExportedComment, TagColorCode } from '../../schema/index.js'
import { selectorsOf } from '../annotations/index.js'
import type { PageText } from './pageText.js'
import type { PdfComment, PdfNote, Rgb } from './pdfNotes.js'
import { findQuote, quadsOf, quoteOf, rangeUnder, type TextRange } from './textGeometry.js'

/** The tag colours of the app (its Bootstrap variants) in a PDF; a highlight without a tag is yellow. */
export const tagColors: Record<TagColorCode, Rgb> = {
  info: [13 / 255, 202 / 255, 240 / 255],
  warning: [255 / 255, 193 / 255, 7 / 255],
  success: [25 / 255, 135 / 255, 84 / 255],
  danger: [220 / 255, 53 / 255, 69 / 255],
}
export const untaggedColor: Rgb = [1, 1, 0]

/** Longest texts an imported annotation and comment keep, as annotationUpdate and commentUpdate take them. */
const maxAnnotationText = 2048
const maxCommentText = 4096

/** An annotation left out, and why. */
export interface SkippedAnnotation {
  annotationId: string
  reason: string
}

/**
 * Where an annotation stands in the PDF: on its PagePositionSelector's page (1-based, as the app
 * counts), its quote nearest its TextPositionSelector (offsets in the page's text), else that
 * position alone; without a page, the first page holding its quote.
 */
export function locate(pages: readonly PageText[], selectors: unknown): { page: PageText; range: TextRange } | null {
  const found = selectorsOf(selectors)
  const quote = found.TextQuoteSelector
  const position = found.TextPositionSelector
  const start = typeof position?.start === 'number' ? position.start : null
  const end = typeof position?.end === 'number' ? position.end : null
  const numbered = pages.find((page) => page.number === found.PagePositionSelector?.number)
  const onPage = (page: PageText, byPosition: boolean): TextRange | null => {
    if (typeof quote?.exact === 'string') {
      const range = findQuote(page, { exact: quote.exact, prefix: stringOr(quote.prefix), suffix: stringOr(quote.suffix) }, start)
      if (range) return range
    }
    if (!byPosition || start === null || end === null || end <= start || end > page.text.length) return null
    return { start, end }
  }
  if (numbered) {
    const range = onPage(numbered, true)
    return range ? { page: numbered, range } : null
  }
  for (const page of pages) {
    const range = onPage(page, false)
    if (range) return { page, range }
  }
  return null
}

/**
 * The notes of a document's exported annotations: each published annotation a highlight in its
 * tag's colour, its first comment the highlight's text and the rest of the thread its replies.
 * Drafts stay out, and so do annotations whose text is not found in the PDF.
 */
export function notesOf(exported: AnnotationsExport, pages: readonly PageText[], colorOfTag: (tagId: unknown) => Rgb): { notes: PdfNote[]; skipped: SkippedAnnotation[] } {
  const notes: PdfNote[] = []
  const skipped: SkippedAnnotation[] = []
  for (const annotation of exported.annotations) {
    if (annotation.draft === true) continue
    const place = locate(pages, annotation.selectors)
    if (!place) {
      skipped.push({ annotationId: String(annotation.id), reason: 'its text was not found in the PDF' })
      continue
    }
    const comments = annotation.comments.filter((comment) => comment.draft !== true)
    const replies = threadOf(comments, null)
    const [first, ...rest] = replies
    notes.push({
      pageNumber: place.page.number,
      quads: quadsOf(place.page, place.range),
      color: colorOfTag(annotation.tagId),
      subject: annotation.tagName,
      author: authorOf(annotation),
      contents: first?.contents ?? '',
      replies: [...(first?.replies ?? []), ...rest],
    })
  }
  return { notes, skipped }
}

/** The comments answering `parentId` (the annotation's own comments for null), with their answers. */
function threadOf(comments: readonly ExportedComment[], parentId: string | null): PdfComment[] {
  return comments
    .filter((comment) => (comment.parentCommentId ?? null) === parentId)
    .map((comment) => ({ author: authorOf(comment), contents: String(comment.text ?? ''), replies: threadOf(comments, String(comment.id)) }))
}

function authorOf(row: Record<string, unknown>): string {
  return typeof row.creator_name === 'string' ? row.creator_name : 'Anonymous'
}

/** An annotation made from a PDF's note, and its comments, with their ids, ready to be written into an annotations doc. */
export interface ImportedAnnotation {
  id: string
  fields: { tagId: number | null; selectors: unknown; text: string; draft: false; anonymous: false }
  comments: { id: string; fields: { annotationId: string | null; parentCommentId: string | null; text: string; draft: false; anonymous: false; tags: [] } }[]
}

/**
 * Folio annotations for a PDF's notes: a highlight's text (the characters under its quads) as
 * TextPosition, TextQuote and PagePosition selectors, its tag by the name in /Subj among
 * `tagIdOf`'s tags, its text and replies as the comment thread. A sticky note becomes an annotation
 * of its page. A highlight over no text is left out, with its reason in `skipped`.
 */
export function importedAnnotations(notes: readonly PdfNote[], pages: readonly PageText[], tagIdOf: (name: string) => number | null): { annotations: ImportedAnnotation[]; skipped: string[] } {
  const annotations: ImportedAnnotation[] = []
  const skipped: string[] = []
  for (const note of notes) {
    const page = pages[note.pageNumber - 1]
    const range = page && note.quads.length > 0 ? rangeUnder(page, note.quads) : null
    if (!page || (note.quads.length > 0 && !range)) {
      skipped.push(`page ${note.pageNumber}: a highlight over no text is not imported`)
      continue
    }
    const quote = range ? quoteOf(page, range) : null
    const selector = [
      { type: 'PagePositionSelector', number: page.number },
      ...(range ? [{ type: 'TextPositionSelector', ...range }, { type: 'TextQuoteSelector', ...quote }] : []),
    ]
    const id = randomUUID()
    const comments: ImportedAnnotation['comments'] = []
    const addComment = (comment: PdfComment, annotationId: string | null, parentCommentId: string | null) => {
      const commentId = randomUUID()
      if (comment.contents.length > maxCommentText) skipped.push(`page ${note.pageNumber}: a comment was cut to ${maxCommentText} characters`)
      comments.push({ id: commentId, fields: { annotationId, parentCommentId, text: comment.contents.slice(0, maxCommentText), draft: false, anonymous: false, tags: [] } })
      for (const reply of comment.replies) addComment(reply, annotationId, commentId)
    }
    addComment(note, id, null)
    annotations.push({
      id,
      fields: { tagId: note.subject === null ? null : tagIdOf(note.subject), selectors: { target: [{ selector }] }, text: (quote?.exact ?? '').slice(0, maxAnnotationText), draft: false, anonymous: false },
      comments,
    })
  }
  return { annotations, skipped }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
