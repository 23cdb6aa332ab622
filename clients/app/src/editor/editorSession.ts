import { QuillBinding } from 'y-quill'
import type { DocAccessChange, FolioClient } from '../../../index.js'
import { CloseCode, documentContentDoc } from '../../../../schema/index.js'
import { colorFor } from '../../../pad/colors.js'
import type { AppUser } from '../session.js'
import { createQuill, setWritable } from './quillEditor.js'

/** What the badge says: connected and writable, not connected, connected but not caught up yet, or connected without write access. */
export type SyncBadge = 'online' | 'offline' | 'syncing' | 'read-only'

export interface EditorState {
  badge: SyncBadge
  /** Why the editor changed under the user (access narrowed or ended), or null. */
  notice: string | null
}

export interface EditorOptions {
  client: FolioClient
  user: AppUser
  documentId: number
  /** The content doc to open (`document:<id>`), as `documentOpen` names it. */
  docName: string
  /** Whether the server lets the user write, as `documentOpen` answered. */
  canEdit: boolean
  onState(state: EditorState): void
}

function noticeOf(change: DocAccessChange): string {
  if (change.access === 'read') return 'You can only read this document now: changes you make are not saved.'
  if (change.code === CloseCode.unauthenticated) return 'Your session ended. Sign in again to go on.'
  return 'You no longer have access to this document.'
}

/**
 * The editor of one document: Quill bound to its content doc over the SDK's `openDoc`, the user's
 * name and colour in awareness so the others see their cursor, and write access following the
 * server. It starts read-only and becomes writable once the doc has synced, when the server
 * grants write; it is locked again as soon as the server narrows access on the open socket
 * (`onAccessChange`), and asked again (`documentOpen`) after every sync, so access granted meanwhile
 * takes effect on the next connection.
 */
export function startEditor(container: HTMLElement, { client, user, documentId, docName, canEdit, onState }: EditorOptions): { close(): void } {
  const quill = createQuill(container)
  // No BroadcastChannel: two tabs must not exchange edits past the server, or a reader's forced
  // edits could reach the doc through a writer's tab.
  const { doc, provider, onAccessChange } = client.openDoc(docName, { disableBc: true })
  provider.awareness.setLocalStateField('user', { name: user.userName, color: colorFor(String(user.id)) })
  const binding = new QuillBinding(doc.getText(documentContentDoc.text), quill, provider.awareness)
  let writable = canEdit
  let everSynced = false
  let ended = false
  let closed = false
  let notice: string | null = null

  const show = (): void => {
    if (closed) return
    setWritable(quill, writable && everSynced && !ended)
    const badge: SyncBadge = ended || !provider.wsconnected ? 'offline' : !provider.synced ? 'syncing' : writable ? 'online' : 'read-only'
    onState({ badge, notice })
  }
  const recheck = async (): Promise<void> => {
    try {
      const answer = (await client.rpc('documentOpen', { documentId })) as { canEdit?: unknown }
      if (!ended) writable = answer.canEdit === true
    } catch {
      // Not answered (offline again, access gone): the socket's own close tells the rest.
    }
    show()
  }
  provider.on('status', show)
  provider.on('connection-close', show)
  provider.on('sync', (synced: boolean) => {
    if (synced) {
      everSynced = true
      void recheck()
    }
    show()
  })
  onAccessChange((change) => {
    if (change.access === 'read') writable = false
    else ended = true
    notice = noticeOf(change)
    show()
  })
  show()

  return {
    close() {
      closed = true
      binding.destroy()
      // Destroying the doc closes its provider too (the SDK ties them together).
      doc.destroy()
    },
  }
}
