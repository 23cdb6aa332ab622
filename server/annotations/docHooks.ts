import { annotationsDoc, parseDocName } from '../../schema/index.js'
import { type DocHooksFactory, type Logger, OwnedEntriesGuard } from '../../sync/index.js'
import { type FolioDatabase } from '../../schema/db/index.js'
import type { Rooms } from '../events/index.js'
import { AnnotationsPublisher } from './AnnotationsPublisher.js'

/**
 * What the server attaches to documents as they load. An annotations doc gets its ownership
 * guard (clients change only their own entries, admins any) and its Refresh publisher; the
 * guard comes first so its repair is part of what gets published.
 */
export function docHooks(rooms: Rooms, db: FolioDatabase, log: Logger): DocHooksFactory {
  return (docName, doc) => {
    const typed = parseDocName(docName)
    if (typed.kind !== 'annotations') return []
    return [new OwnedEntriesGuard(doc, annotationsDoc.collections, annotationsDoc.ownerField), new AnnotationsPublisher(doc, typed.documentId, typed.studySessionId, rooms, db, log)]
  }
}
