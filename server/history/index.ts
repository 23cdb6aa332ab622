/** A document's history over HTTP and for the CLI: every revision, the content at any point, who wrote what. */
export { type Authorship, authorshipOf, type ContentAt, contentAt, type HistoryPage, historyPage } from './answers.js'
export { authorizedRoute, docHistoryRoutes, documentReadRoute, historyRoutes, parseQuery } from './routes.js'
