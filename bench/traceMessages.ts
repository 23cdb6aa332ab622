import type { ChildMessage } from './child.js'

/** What the trace writer (bench/traceWriter.ts) tells the bench; times are `epochMs()`. */
export type WriterMessage =
  | { type: 'ready'; transactions: number }
  | { type: 'sent'; firstSendAt: number; lastSendAt: number }
  | { type: 'lost'; reason: string; at: number }

/** What the trace reader (bench/traceReader.ts) tells the bench; times are `epochMs()`. */
export type ReaderMessage =
  /** With what the reader waits for: the writer's final clock and the final text length. */
  | { type: 'ready'; finalClock: number; finalLength: number }
  /** Sent every second: the writer's clock and the text length the reader has. */
  | { type: 'progress'; clock: number; length: number }
  | { type: 'done'; at: number }
  | { type: 'lost'; reason: string; at: number }

/** Sends a message to the bench process; a child started without IPC is a bug in the bench. */
export function tellParent(message: WriterMessage | ReaderMessage): void {
  if (!process.send) throw new Error('started without an IPC channel; the trace replay forks this script')
  process.send(message)
}

/** Calls `onMessage` for every message from the bench process. */
export function onParentMessage(onMessage: (message: ChildMessage) => void): void {
  process.on('message', (message: ChildMessage) => onMessage(message))
}
