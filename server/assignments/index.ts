/** Peer-review assignments: studies made from a template for each reviewed document, and their fair distribution over a class. */
export { distributeReviews, type Distribution, type ReviewerQuota, type ReviewTask } from './distribute.js'
export { registerAssignmentEvents } from './rpc.js'
export { seededRandom } from './seededRandom.js'
