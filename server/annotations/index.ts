export { docHooks } from './docHooks.js'
