/** Studies: projects, workflows and their seeds, studies with their steps and sessions; what the study-making features (assignments, submission copies) build on. */
export { seedWorkflows } from './seedWorkflows.js'
export { studyTableWriters, versionColumns } from './studyWriter.js'
export { type ContentFork, type StudyRow } from './studySteps.js'
export { runContentForks } from './contentForks.js'
export { registerStudyEvents, type StudyRpcDeps } from './rpc.js'
export { SessionFollowers } from './SessionFollowers.js'
export { checkSessionScope, type ScopeInput, sessionScope } from './sessionDocs.js'
