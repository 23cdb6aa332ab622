/** What a document name refers to (DESIGN.md, "Documents as Yjs docs"). */
export type TypedDocName =
  | { kind: 'document'; documentId: number }
  | { kind: 'annotations'; documentId: number; studySessionId: number | null }
  | { kind: 'pad'; roomId: string }
  | { kind: 'scratch' }
  | { kind: 'malformed' }

const typedPrefixes = ['document:', 'annotations:', 'pad:']

/** Parses `document:<id>`, `annotations:<id>[:session:<id>]`, `pad:<roomId>`; other names are scratch docs. */
export function parseDocName(name: string): TypedDocName {
  let match = /^document:(\d{1,15})$/.exec(name)
  if (match) return { kind: 'document', documentId: Number(match[1]) }
  match = /^annotations:(\d{1,15})(?::session:(\d{1,15}))?$/.exec(name)
  if (match) return { kind: 'annotations', documentId: Number(match[1]), studySessionId: match[2] ? Number(match[2]) : null }
  match = /^pad:([A-Za-z0-9_-]{1,100})$/.exec(name)
  if (match) return { kind: 'pad', roomId: match[1]! }
  return typedPrefixes.some((prefix) => name.startsWith(prefix)) ? { kind: 'malformed' } : { kind: 'scratch' }
}
