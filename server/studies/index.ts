/** Studies: projects, workflows and their seeds, studies with their steps and sessions. */
export { seedWorkflows } from './seedWorkflows.js'
export { studyTableWriters } from './studyWriter.js'
export { registerStudyEvents, type StudyRpcDeps } from './rpc.js'
export { SessionFollowers } from './SessionFollowers.js'
export { checkSessionScope, type ScopeInput, sessionScope } from './sessionDocs.js'
