/**
 * Database tables, seed data, shared input schemas and wire types: the bottom layer, imported by
 * sync, server and clients, and safe to bundle for browsers (`schema/db` holds what is not).
 */
export { authSession, roleRightMatching, user, userRight, userRole, userRoleMatching } from './tables/accounts.js'
export { docCheckpoint, docUpdate } from './tables/docs.js'
export { document, documentContentDoc, documentData, documentType } from './tables/documents.js'
export { project } from './tables/projects.js'
export { setting, userSetting } from './tables/settings.js'
export { study, studySession, studyStep } from './tables/studies.js'
export { tag, tagColorCodes, type TagColorCode, tagSet } from './tables/tags.js'
export { documentVersion } from './tables/versions.js'
export { commentState, commentStateValues, userEnvironment } from './tables/userState.js'
export { stepType, type StepType, workflow, workflowStep } from './tables/workflows.js'
export { asset, padAccessLevels, type PadAccess, padSession, type ParticipantKind, participantKinds, participantRoles, type ParticipantRole, room, roomGuestLink, roomParticipant } from './tables/rooms.js'
export * from './seed/index.js'
export * from './inputs/index.js'
export * from './docs/index.js'
export * from './wire/index.js'
