/** Document content and files: the Yjs content doc's Quill view and edits, uploads, and the content-addressed file store. */
export { applyEditOps, applyQuillDelta, contentDelta, contentText } from './content.js'
export { type DocumentDataScope, saveDocumentData } from './documentData.js'
export { FileStore, type StoredFile } from './FileStore.js'
export { decodePdfUpload, decodeUpload, isPdfBytes, isZipBytes } from './uploads.js'
export { checkZipUpload } from './zipUpload.js'
export { type DocumentRpcDeps, registerDocumentEvents } from './rpc.js'
