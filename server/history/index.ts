/** A document's history over HTTP and for the CLI: every revision, the content at any point, who wrote what. */
export { authorshipOf, contentAt, historyPage } from './answers.js'
export { docHistoryRoutes, historyRoutes } from './routes.js'
