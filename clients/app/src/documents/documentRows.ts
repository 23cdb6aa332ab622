import type { Row } from '../../../index.js'
import { documentType } from '../../../../schema/index.js'
import type { AppUser } from '../session.js'

/** A `document` row as the dashboard and the editor show it. */
export interface DocumentView {
  id: number
  name: string
  type: 'PDF' | 'HTML' | 'Modal'
  /** Whether its content is a Yjs doc the editor opens (HTML and Modal); PDFs are files. */
  editable: boolean
  ownerId: number
  public: boolean
  updatedAt: Date | null
}

const typeNames: Record<number, DocumentView['type']> = { [documentType.pdf]: 'PDF', [documentType.html]: 'HTML', [documentType.modal]: 'Modal' }

/** The view of a live-table row; null for a row that is not a live, listed document. */
export function documentView(row: Row): DocumentView | null {
  if (typeof row['id'] !== 'number' || row['deleted'] === true || row['hideInFrontend'] === true) return null
  const type = typeNames[Number(row['type'])] ?? 'HTML'
  const updated = typeof row['updatedAt'] === 'string' ? new Date(row['updatedAt']) : null
  return {
    id: row['id'],
    name: String(row['name'] ?? ''),
    type,
    editable: type !== 'PDF',
    ownerId: Number(row['userId']),
    public: row['public'] === true,
    updatedAt: updated && !Number.isNaN(updated.getTime()) ? updated : null,
  }
}

/** The rows as views, newest first. */
export function documentViews(rows: readonly Row[]): DocumentView[] {
  return rows.flatMap((row) => documentView(row) ?? []).sort((a, b) => b.id - a.id)
}

/** Whether `user` may change the document's metadata (owner or admin, as the server checks). */
export const canManage = (user: AppUser, view: DocumentView): boolean => user.isAdmin || view.ownerId === user.id
