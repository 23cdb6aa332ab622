/** Submissions: grouping them, and copying them with their documents. */
export { registerSubmissionEvents } from './rpc.js'
