/** What server and clients say to each other: close codes, and the history and export answers. */
export { CloseCode } from './closeCodes.js'
export type { AnnotationsExport, ExportedAnnotation, ExportedComment } from './annotationsExport.js'
export type { Authorship, AuthorshipSpan, ContentAt, DeltaOp, HistoryPage, Revision } from './history.js'
