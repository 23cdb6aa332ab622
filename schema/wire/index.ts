/** What server and clients say to each other: doc names, close codes, answers, the events and signaling frames, and the history and export answers. */
export { annotationsDocName, documentDocName, padDocName, parseDocName, type TypedDocName } from './docNames.js'
export { CloseCode, SignalingCloseCode } from './closeCodes.js'
export type { Answer } from './answers.js'
export type { EventsAnswer, EventsCall, EventsPush, EventsServerFrame } from './events.js'
export type { RoomEvent, RoomEventPayload, RoomParticipant, SignalingNamespace } from './signaling.js'
export type { AnnotationsExport, ExportedAnnotation, ExportedComment } from './annotationsExport.js'
export type { ArrayDeltaOp, Authorship, AuthorshipSpan, ContentAt, DeltaOp, HistoryPage, Revision, SharedTypeChange, SharedTypeKind, UpdateContext } from './history.js'
export { commentStateValues, documentType, padAccessLevels, type PadAccess, type ParticipantKind, participantKinds, participantRoles, type ParticipantRole, stepType, type StepType, tagColorCodes, type TagColorCode } from './columnValues.js'
