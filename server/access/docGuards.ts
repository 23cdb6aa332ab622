import { annotationsDoc } from '../../schema/index.js'
import { type DocHooksFactory, OwnedEntriesGuard } from '../../sync/index.js'
import { parseDocName } from './docNames.js'

/** Annotations docs guard their entries: clients change only their own (admins any). Other docs are unguarded. */
export const guardForDoc: DocHooksFactory = (docName, doc) =>
  parseDocName(docName).kind === 'annotations' ? [new OwnedEntriesGuard(doc, annotationsDoc.collections, annotationsDoc.ownerField)] : []
