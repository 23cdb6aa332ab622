import { describe, expect, it } from 'vitest'
import { annotationsDocName, documentDocName, padDocName, parseDocName } from '../../schema/index.js'

describe('doc names', () => {
  it('builds each typed name', () => {
    expect(documentDocName(42)).toBe('document:42')
    expect(documentDocName(42, 9)).toBe('document:42:session:9')
    expect(annotationsDocName(7)).toBe('annotations:7')
    expect(annotationsDocName(7, 3)).toBe('annotations:7:session:3')
    expect(padDocName('room-1')).toBe('pad:room-1')
  })

  it('parses what the builders make', () => {
    expect(parseDocName(documentDocName(42))).toEqual({ kind: 'document', documentId: 42, studySessionId: null })
    expect(parseDocName(documentDocName(42, 9))).toEqual({ kind: 'document', documentId: 42, studySessionId: 9 })
    expect(parseDocName(annotationsDocName(7))).toEqual({ kind: 'annotations', documentId: 7, studySessionId: null })
    expect(parseDocName(annotationsDocName(7, 3))).toEqual({ kind: 'annotations', documentId: 7, studySessionId: 3 })
    expect(parseDocName(padDocName('room-1'))).toEqual({ kind: 'pad', roomId: 'room-1' })
  })

  it('calls a typed prefix with another shape malformed, and any other name scratch', () => {
    for (const name of ['document:abc', 'document:', 'document:1234567890123456', 'annotations:1:session:x', 'annotations:1:2', 'document:1:session:', 'document:1:session:2:session:3', 'pad:', 'pad:a.b']) {
      expect(parseDocName(name)).toEqual({ kind: 'malformed' })
    }
    for (const name of ['notes:mine', 'documents:1', 'pad', 'notes.v2']) expect(parseDocName(name)).toEqual({ kind: 'scratch' })
  })
})
