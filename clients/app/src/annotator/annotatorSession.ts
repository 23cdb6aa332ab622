import type * as Y from 'yjs'
import type { FolioClient, Row } from '../../../index.js'
import { type AnnotationView, annotationViews, type CommentView, commentViews } from './annotationEntries.js'
import type { HighlightColor } from './highlights.js'

/** A tag an annotation can carry, with its set. */
export interface TagView {
  id: number
  name: string
  color: HighlightColor
  tagSetId: number
}

export interface TagSetView {
  id: number
  name: string
}

/** What the annotator shows, rebuilt on every change of the doc, the tags or the names. */
export interface AnnotatorState {
  annotations: AnnotationView[]
  comments: CommentView[]
  tags: TagView[]
  tagSets: TagSetView[]
  /** Authors' names by user id, as the server tells this user (anonymous authors are not in it). */
  names: ReadonlyMap<number, string>
  /** Whether the doc is connected and caught up. */
  live: boolean
}

const colors = new Set<HighlightColor>(['info', 'warning', 'success', 'danger'])

function tagView(row: Row): TagView | null {
  if (typeof row['id'] !== 'number' || row['deleted'] === true) return null
  const color = colors.has(row['colorCode'] as HighlightColor) ? (row['colorCode'] as HighlightColor) : 'info'
  return { id: row['id'], name: String(row['name'] ?? ''), color, tagSetId: Number(row['tagSetId']) }
}

/** How long after an entry by an unknown author arrives the names are asked again (one call for a burst). */
const namesDelayMs = 300

/**
 * The live side of the annotator: the `annotations:<id>` doc over the SDK (every browser on it
 * sees each change at once), the live `tag` and `tag_set` tables, and the authors' names, which
 * the doc does not hold: they come from `commentGetByDocument` and `annotationGetByDocument`,
 * whose rows name authors as this user may know them, asked again when an unknown author appears.
 */
export function startAnnotator(client: FolioClient, options: { documentId: number; docName: string; user: { id: number; userName: string }; onState(state: AnnotatorState): void }): { doc: Y.Doc; close(): void } {
  const { documentId, user, onState } = options
  const { doc, provider } = client.openDoc(options.docName, { disableBc: true })
  const names = new Map<number, string>([[user.id, user.userName]])
  let tags: TagView[] = []
  let tagSets: TagSetView[] = []
  let closed = false
  let namesTimer: ReturnType<typeof setTimeout> | null = null

  const show = (): void => {
    if (closed) return
    const annotations = annotationViews(doc, user.id)
    const comments = commentViews(doc, user.id)
    const unknown = [...annotations, ...comments].some((entry) => entry.userId !== null && !entry.anonymous && !names.has(entry.userId))
    if (unknown && !namesTimer) namesTimer = setTimeout(() => void askNames(), namesDelayMs)
    onState({ annotations, comments, tags, tagSets, names, live: provider.wsconnected && provider.synced })
  }
  const askNames = async (): Promise<void> => {
    try {
      const rows = [...((await client.rpc('annotationGetByDocument', { documentId })) as Row[]), ...((await client.rpc('commentGetByDocument', { documentId })) as Row[])]
      for (const row of rows) if (typeof row['userId'] === 'number' && row['anonymous'] !== true && typeof row['creator_name'] === 'string') names.set(row['userId'], row['creator_name'])
    } catch {
      // Names are a nicety: without them authors show as "a colleague" until the next change.
    } finally {
      namesTimer = null
    }
    if (!closed) onState({ annotations: annotationViews(doc, user.id), comments: commentViews(doc, user.id), tags, tagSets, names, live: provider.wsconnected && provider.synced })
  }

  for (const collection of ['annotations', 'comments', 'votes']) doc.getMap(collection).observeDeep(show)
  provider.on('status', show)
  provider.on('sync', show)
  const stopTags = client.subscribe('tag', [{ key: 'deleted', value: false }], (rows) => {
    tags = rows.flatMap((row) => tagView(row) ?? []).sort((a, b) => a.tagSetId - b.tagSetId || a.id - b.id)
    show()
  })
  const stopSets = client.subscribe('tag_set', [{ key: 'deleted', value: false }], (rows) => {
    tagSets = rows.flatMap((row) => (typeof row['id'] === 'number' ? [{ id: row['id'], name: String(row['name'] ?? '') }] : [])).sort((a, b) => a.id - b.id)
    show()
  })
  void askNames()
  show()

  return {
    doc,
    close() {
      closed = true
      if (namesTimer) clearTimeout(namesTimer)
      stopTags()
      stopSets()
      // Destroying the doc closes its provider too (the SDK ties them together).
      doc.destroy()
    },
  }
}
