import { inArray } from 'drizzle-orm'
import * as Y from 'yjs'
import { type AnnotationsExport, type AnnotationsExportScope, annotationsDoc, annotationsDocName, type ExportedAnnotation, type ExportedComment } from '../../schema/index.js'
import { type FolioDatabase, tag } from '../../schema/db/index.js'
import { findLiveDocument } from '../access/index.js'
import { type EntryCollection, entryRow, type Row, userNamesOf, type Viewer } from './entryRows.js'
import { NotFoundError } from '../errors.js'
import { toCsv } from './csv.js'

/** The entries of an annotations doc as JSON, by collection: `[id, entry]` pairs. */
export type AnnotationsEntries = Record<EntryCollection, (readonly [string, unknown])[]>

/** Reads the three collections of an annotations doc (`annotations:<documentId>`). */
export function annotationsEntries(doc: Y.Doc): AnnotationsEntries {
  const read = (collection: EntryCollection) => [...doc.getMap<unknown>(collection).entries()].map(([id, entry]) => [id, entry instanceof Y.AbstractType ? entry.toJSON() : entry] as const)
  const [annotations, comments, votes] = annotationsDoc.collections.map(read) as [AnnotationsEntries['annotations'], AnnotationsEntries['comments'], AnnotationsEntries['votes']]
  return { annotations, comments, votes }
}

/**
 * The annotations export of document `documentId`, its annotations doc read by `read` (the live
 * doc on the server, the stored state in the CLI's database mode). NotFound for a missing document.
 */
export async function documentAnnotationsExport(
  db: FolioDatabase,
  documentId: number,
  read: (docName: string) => AnnotationsEntries,
  viewer: Viewer,
  scope: AnnotationsExportScope,
): Promise<AnnotationsExport> {
  const row = await findLiveDocument(db, documentId)
  if (!row) throw new NotFoundError(`document ${documentId} does not exist`)
  return buildAnnotationsExport(db, { documentId, documentName: row.name, entries: read(annotationsDocName(documentId)), viewer, scope })
}

/**
 * The export for `viewer`. Every row goes through `entryRow`, so anonymous entries are anonymised
 * exactly as the app shows them (author hidden from all but the owner and admins). Scope
 * `visible` holds what the viewer sees in the app: their own entries, drafts included, and
 * everyone's published ones. Scope `all` adds other users' drafts. Soft-deleted entries are left out.
 */
export async function buildAnnotationsExport(
  db: FolioDatabase,
  options: { documentId: number; documentName: string; entries: AnnotationsEntries; viewer: Viewer; scope: AnnotationsExportScope },
): Promise<AnnotationsExport> {
  const { documentId, entries, viewer, scope } = options
  const userNames = await userNamesOf(db, [...entries.annotations, ...entries.comments, ...entries.votes].map(([, entry]) => entry))
  const rowsOf = (pairs: readonly (readonly [string, unknown])[]): Row[] =>
    pairs
      .flatMap(([id, entry]) => {
        if (entry === null || typeof entry !== 'object') return []
        const fields = entry as Row
        if (fields.deleted === true) return []
        // entryRow hides others' drafts; scope `all` shows them, still anonymised by entryRow.
        const otherDraft = scope === 'all' && fields.draft === true
        const row = entryRow(id, otherDraft ? { ...fields, draft: false } : fields, documentId, viewer, userNames)
        if (row && otherDraft) row.draft = true
        return row ? [row] : []
      })
      .sort(byTime)

  const tagNames = await tagNamesOf(db, entries)
  const tagName = (value: unknown): string | null => (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)) ? (tagNames.get(Number(value)) ?? null) : null)

  const votesByComment = new Map<string, Row[]>()
  for (const vote of rowsOf(entries.votes)) {
    const commentId = String(vote.commentId)
    votesByComment.set(commentId, [...(votesByComment.get(commentId) ?? []), vote])
  }
  const annotations: ExportedAnnotation[] = rowsOf(entries.annotations).map((row) => ({ ...row, tagName: tagName(row.tagId), comments: [] }))
  const byId = new Map(annotations.map((annotation) => [String(annotation.id), annotation]))
  const threadRoot = annotationOfThread(entries.comments)
  const comments: ExportedComment[] = []
  for (const row of rowsOf(entries.comments)) {
    const votes = votesByComment.get(String(row.id)) ?? []
    const tags = Array.isArray(row.tags) ? (row.tags as unknown[]) : []
    const comment: ExportedComment = {
      ...row,
      tagNames: tags.map((value) => tagName(value) ?? String(value)),
      votes,
      score: votes.reduce((sum, vote) => sum + (typeof vote.vote === 'number' ? vote.vote : 0), 0),
    }
    const annotation = byId.get(threadRoot(String(row.id)) ?? '')
    if (annotation) annotation.comments.push(comment)
    else comments.push(comment)
  }
  return { documentId, documentName: options.documentName, exportedAt: new Date().toISOString(), scope, annotations, comments }
}

/** The columns of the CSV export: one row per annotation, comment and vote, `kind` telling which. */
export const annotationsCsvColumns = [
  'kind',
  'id',
  'documentId',
  'annotationId',
  'parentCommentId',
  'commentId',
  'userId',
  'creatorName',
  'anonymous',
  'draft',
  'tagId',
  'tagName',
  'tags',
  'text',
  'quote',
  'startOffset',
  'endOffset',
  'page',
  'vote',
  'score',
  'createdAt',
  'updatedAt',
] as const

/** The export as CSV: each annotation, then its comments each followed by its votes; then the other comments. */
export function annotationsCsv(data: AnnotationsExport): string {
  const rows: Row[] = []
  const common = (row: Row, kind: string): Row => ({
    kind,
    id: row.id,
    documentId: row.documentId,
    userId: row.userId,
    creatorName: row.creator_name,
    anonymous: row.anonymous,
    draft: row.draft,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  })
  const addComment = (comment: ExportedComment) => {
    rows.push({
      ...common(comment, 'comment'),
      annotationId: comment.annotationId,
      parentCommentId: comment.parentCommentId,
      tags: comment.tagNames.join('; '),
      text: comment.text,
      score: comment.score,
    })
    for (const vote of comment.votes) rows.push({ ...common(vote, 'vote'), commentId: vote.commentId, vote: vote.vote })
  }
  for (const annotation of data.annotations) {
    const selectors = selectorsOf(annotation.selectors)
    rows.push({
      ...common(annotation, 'annotation'),
      tagId: annotation.tagId,
      tagName: annotation.tagName,
      text: annotation.text,
      quote: selectors.TextQuoteSelector?.exact,
      startOffset: selectors.TextPositionSelector?.start,
      endOffset: selectors.TextPositionSelector?.end,
      page: selectors.PagePositionSelector?.number,
    })
    annotation.comments.forEach(addComment)
  }
  data.comments.forEach(addComment)
  return toCsv(annotationsCsvColumns, rows)
}

/** The first selector of each type in `{target: [{selector: [...]}]}`. */
export function selectorsOf(value: unknown): Record<string, Row | undefined> {
  const found: Record<string, Row | undefined> = {}
  const targets = (value as { target?: unknown } | null)?.target
  for (const target of Array.isArray(targets) ? targets : []) {
    const selectors = (target as { selector?: unknown } | null)?.selector
    for (const selector of Array.isArray(selectors) ? (selectors as Row[]) : []) {
      if (typeof selector?.type === 'string') found[selector.type] ??= selector
    }
  }
  return found
}

/** For a comment id, the annotation its thread hangs on (following parentCommentId), or null. */
function annotationOfThread(comments: readonly (readonly [string, unknown])[]): (commentId: string) => string | null {
  const fields = new Map(comments.map(([id, entry]) => [id, (entry ?? {}) as Row]))
  return (commentId) => {
    const seen = new Set<string>()
    for (let id: string | null = commentId; id !== null && !seen.has(id); ) {
      seen.add(id)
      const comment = fields.get(id)
      if (!comment) return null
      if (typeof comment.annotationId === 'string') return comment.annotationId
      id = typeof comment.parentCommentId === 'string' ? comment.parentCommentId : null
    }
    return null
  }
}

/** Names of the tags the entries refer to: annotations' `tagId`, and comments' `tags` that are tag ids. */
async function tagNamesOf(db: FolioDatabase, entries: AnnotationsEntries): Promise<Map<number, string>> {
  const ids = new Set<number>()
  for (const [, entry] of entries.annotations) {
    const tagId = (entry as Row | null)?.tagId
    if (typeof tagId === 'number') ids.add(tagId)
  }
  for (const [, entry] of entries.comments) {
    const tags = (entry as Row | null)?.tags
    for (const value of Array.isArray(tags) ? tags : []) if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) ids.add(Number(value))
  }
  if (ids.size === 0) return new Map()
  const rows = await db.select({ id: tag.id, name: tag.name }).from(tag).where(inArray(tag.id, [...ids]))
  return new Map(rows.map((row) => [row.id, row.name]))
}

function byTime(a: Row, b: Row): number {
  const at = String(a.createdAt ?? '')
  const bt = String(b.createdAt ?? '')
  return at < bt ? -1 : at > bt ? 1 : String(a.id) < String(b.id) ? -1 : 1
}
