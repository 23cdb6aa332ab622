/** A document's history over HTTP and for the CLI: every revision, the content at any point, who wrote what; the study context stored beside session docs' updates. */
export { authorshipOf, contentAt, historyPage } from './answers.js'
export { accountAuthorNames } from './authorNames.js'
export { docHistoryRoutes, type DocumentTarget, documentTarget, historyRoutes } from './routes.js'
export { sessionContextHooks } from './sessionContext.js'
export { quillLines, type QuillLine, type QuillRun } from './quillLines.js'
