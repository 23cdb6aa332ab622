import type { FolioDatabase } from '../../schema/db/index.js'
import { userNamesByIds } from '../users/index.js'

export type Row = Record<string, unknown>

/** The collections of an annotations doc and the `<table>Refresh` event each one's rows travel in. */
export const entryCollections = {
  annotations: { table: 'annotation', refresh: 'annotationRefresh' },
  comments: { table: 'comment', refresh: 'commentRefresh' },
  votes: { table: 'comment_vote', refresh: 'comment_voteRefresh' },
} as const

export type EntryCollection = keyof typeof entryCollections

/** Who looks at the rows: owners and admins see their own drafts and the author of anonymous entries. */
export interface Viewer {
  userId: number
  isAdmin: boolean
}

/**
 * An entry of an annotations doc as the original's row, for one viewer: `creator_name` added,
 * anonymous entries show "Anonymous" and hide their author from all but the owner and admins,
 * drafts are seen only by their owner (and admins). Null when the viewer may not see it;
 * a removed entry is `{id, documentId, deleted: true}`.
 */
export function entryRow(id: string, entry: unknown, documentId: number, viewer: Viewer, userNames: ReadonlyMap<number, string>): Row | null {
  if (entry === undefined) return { id, documentId, deleted: true }
  if (entry === null || typeof entry !== 'object') return null
  const fields = entry as Row
  const ownerId = Number(fields.userId)
  const mayKnowAuthor = viewer.isAdmin || ownerId === viewer.userId
  if (fields.draft === true && !mayKnowAuthor) return null
  const row: Row = { ...fields, id, documentId }
  if (fields.anonymous === true) {
    row.creator_name = 'Anonymous'
    if (!mayKnowAuthor) row.userId = null
  } else {
    row.creator_name = userNames.get(ownerId) ?? null
  }
  return row
}

/** User names of the entries' authors, in one query. */
export async function userNamesOf(db: FolioDatabase, entries: Iterable<unknown>): Promise<Map<number, string>> {
  const ids: number[] = []
  for (const entry of entries) {
    const userId = (entry as Row | undefined)?.userId
    if (typeof userId === 'number') ids.push(userId)
  }
  return userNamesByIds(db, ids)
}
