/** Exports of a document's history and annotations: the data behind the HTTP routes and the CLI's database mode. */
export { type AnnotationsEntries, type AnnotationsExport, annotationsCsv, annotationsEntries, buildAnnotationsExport, documentAnnotationsExport } from './annotations.js'
export { toCsv, csvField } from './csv.js'
export { type Authorship, authorshipOf, type ContentAt, contentAt, type HistoryPage, historyPage } from './history.js'
export { exportRoutes, exportScope } from './routes.js'
