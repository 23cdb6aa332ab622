/** What server and clients say to each other: doc names, close codes, and the history and export answers. */
export { annotationsDocName, documentDocName, padDocName, parseDocName, type TypedDocName } from './docNames.js'
export { CloseCode } from './closeCodes.js'
export type { AnnotationsExport, ExportedAnnotation, ExportedComment } from './annotationsExport.js'
export type { Authorship, AuthorshipSpan, ContentAt, DeltaOp, HistoryPage, Revision } from './history.js'
