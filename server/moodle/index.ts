/** Moodle over its REST web services (course users, assignments, submissions and their import, feedback comments), and the upload of one submission. */
export { type MoodleRpcDeps, registerMoodleEvents } from './rpc.js'
