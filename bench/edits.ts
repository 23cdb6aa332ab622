import * as Y from 'yjs'
import { encodeUpdateFrame } from './wire.js'

/** The writer's fixed Yjs client id, which readers look up in every update they receive. */
export const writerClientId = 0x5eed

/**
 * `count` sync Update frames, each inserting one character at the end of the text, so edit k
 * advances the writer's clock to k + 1. Built before timing so the writer only sends.
 */
export function typingFrames(count: number): Uint8Array[] {
  const doc = new Y.Doc()
  doc.clientID = writerClientId
  const frames: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => frames.push(encodeUpdateFrame(update)))
  const text = doc.getText('content')
  for (let k = 0; k < count; k++) text.insert(k, String.fromCharCode(97 + (k % 26)))
  doc.destroy()
  return frames
}
