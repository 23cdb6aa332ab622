/** Annotations in and out of PDFs: `annotationEmbed` and its download, and the import of an uploaded PDF's own notes. */
export { type AnnotatedPdfDeps, type StoredFiles } from './annotatedPdf.js'
export { preparePdfUpload, type PdfUpload, writeImportedAnnotations } from './importOnUpload.js'
export { registerPdfAnnotationEvents } from './rpc.js'
export { annotatedPdfRoutes } from './routes.js'
