/** What a Yjs doc name refers to: one of Folio's typed docs, a scratch doc (any other name), or a malformed typed name. */
export type TypedDocName =
  | { kind: 'document'; documentId: number; studySessionId: number | null }
  | { kind: 'annotations'; documentId: number; studySessionId: number | null }
  | { kind: 'pad'; roomId: string }
  | { kind: 'scratch' }
  | { kind: 'malformed' }

/** The content doc of an HTML or MODAL document, or one study session's own copy of it: `document:<documentId>[:session:<studySessionId>]`. */
export const documentDocName = (documentId: number, studySessionId: number | null = null): string =>
  studySessionId === null ? `document:${documentId}` : `document:${documentId}:session:${studySessionId}`

/** The annotations doc of a document, or of one study session on it: `annotations:<documentId>[:session:<studySessionId>]`. */
export const annotationsDocName = (documentId: number, studySessionId: number | null = null): string =>
  studySessionId === null ? `annotations:${documentId}` : `annotations:${documentId}:session:${studySessionId}`

/** The meeting protocol pad of a room: `pad:<roomId>`. */
export const padDocName = (roomId: string): string => `pad:${roomId}`

const typedPrefixes = ['document:', 'annotations:', 'pad:']

/** Reads a name the builders above make; a name with a typed prefix but another shape is malformed, any other name is a scratch doc. */
export function parseDocName(name: string): TypedDocName {
  let match = /^document:(\d{1,15})(?::session:(\d{1,15}))?$/.exec(name)
  if (match) return { kind: 'document', documentId: Number(match[1]), studySessionId: match[2] ? Number(match[2]) : null }
  match = /^annotations:(\d{1,15})(?::session:(\d{1,15}))?$/.exec(name)
  if (match) return { kind: 'annotations', documentId: Number(match[1]), studySessionId: match[2] ? Number(match[2]) : null }
  match = /^pad:([A-Za-z0-9_-]{1,100})$/.exec(name)
  if (match) return { kind: 'pad', roomId: match[1]! }
  return typedPrefixes.some((prefix) => name.startsWith(prefix)) ? { kind: 'malformed' } : { kind: 'scratch' }
}
