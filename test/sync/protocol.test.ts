import { frame } from '../helpers/frames.js'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { decodeClientMessage as decodeWithLimit, defaultSyncOptions, isValidDocName, ProtocolError } from '../../sync/index.js'

const decodeClientMessage = (frame: Uint8Array) => decodeWithLimit(frame, defaultSyncOptions.maxUpdateStructs)

function rejection(bytes: Uint8Array): { code: number; message: string } {
  try {
    decodeClientMessage(bytes)
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.closeCode, message: error.message }
    throw error
  }
  throw new Error('frame was accepted')
}

describe('client message decoding', () => {
  it('decodes the messages a y-websocket client sends', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'x')
    expect(decodeClientMessage(frame(0, 0, Y.encodeStateVector(doc))).kind).toBe('syncStep1')
    expect(decodeClientMessage(frame(0, 1, Y.encodeStateAsUpdate(doc))).kind).toBe('update')
    expect(decodeClientMessage(frame(0, 2, Y.encodeStateAsUpdate(doc))).kind).toBe('update')
    expect(decodeClientMessage(frame(3))).toEqual({ kind: 'queryAwareness' })
    const awareness = new Uint8Array([1, 9, 1, ...frame(new TextEncoder().encode('{"a":1}')).subarray(0)])
    const decoded = decodeClientMessage(frame(1, awareness))
    expect(decoded).toMatchObject({ kind: 'awareness', entries: [{ clientId: 9, clock: 1, state: { a: 1 } }] })
  })

  it('rejects each malformed frame with its own close code', () => {
    expect(rejection(new Uint8Array([]))).toEqual({ code: 1002, message: 'malformed message: truncated or garbage frame' })
    expect(rejection(frame(0, 2, new Uint8Array([0, 0]), 7)).message).toMatch(/trailing bytes/)
    expect(rejection(frame(2, 0))).toEqual({ code: 1003, message: 'auth messages are only sent by the server' })
    expect(rejection(frame(0, 2, new Uint8Array([3, 1, 2])))).toMatchObject({ code: 1007 })
    expect(rejection(frame(0, 0, new Uint8Array([5])))).toMatchObject({ code: 1007, message: 'invalid payload: invalid state vector in sync step 1' })
  })

  it('accepts typed document names and refuses others', () => {
    for (const name of ['document:42', 'annotations:7:session:3', 'pad:room-1', 'notes.v2']) expect(isValidDocName(name)).toBe(true)
    for (const name of ['', ':a', 'a:', 'a b', 'a/b', '../etc', 'x'.repeat(201)]) expect(isValidDocName(name)).toBe(false)
  })
})
