export { docHooks } from './docHooks.js'
export { registerAnnotationEvents } from './rpc.js'
export { type AnnotationsEntries, annotationsCsv, annotationsEntries, buildAnnotationsExport, documentAnnotationsExport } from './export.js'
export { exportRoutes, exportScope } from './exportRoutes.js'
