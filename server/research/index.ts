/** Research exports: a study's or project's archive, and any doc's history as JSON, CSV, event CSV or IDFX. */
export { docHistoryExport, type ExportFile } from './historyFormats.js'
export { requireExportRight, researchRoutes } from './routes.js'
export { type ExportProgress, studyArchive } from './studyArchive.js'
export type { ExportTarget } from './studyRows.js'
