export { docHooks } from './docHooks.js'
export { annotationsDocName } from './entries.js'
