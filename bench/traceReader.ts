import * as Y from 'yjs'
import { epochMs } from './child.js'
import { writerClientId } from './edits.js'
import { onParentMessage, tellParent } from './traceMessages.js'
import { insertedLength, loadTrace, tracePath } from './trace.js'
import { type DocAddress, RawClient } from './wire.js'

/**
 * The trace replay's reader, a child process of bench/traceReplay.ts (argv: the DocAddress as
 * JSON): a client with a real Y.Doc that applies whatever the server sends and reports 'done' the
 * moment its text equals the trace's endContent.
 */
const address = JSON.parse(process.argv[2] ?? '') as DocAddress
const trace = loadTrace()
if (!trace) throw new Error(`the trace replay needs ${tracePath}`)
const finalClock = insertedLength(trace.patches)

const doc = new Y.Doc()
const text = doc.getText('content')
let done = false
// Comparing 100k characters on every update would cost more than the update; the clock and the
// length are cheap, and once every insert is in, the length only falls to the final one at the end.
const complete = (): boolean =>
  Y.getState(doc.store, writerClientId) >= finalClock && text.length === trace.endContent.length && text.toString() === trace.endContent

const client = await RawClient.connect(
  address,
  (update) => {
    Y.applyUpdate(doc, update)
    if (done || !complete()) return
    done = true
    tellParent({ type: 'done', at: epochMs() })
  },
  (reason) => tellParent({ type: 'lost', reason, at: epochMs() }),
)
tellParent({ type: 'ready', finalClock, finalLength: trace.endContent.length })
const progress = setInterval(() => tellParent({ type: 'progress', clock: Y.getState(doc.store, writerClientId), length: text.length }), 1_000)

onParentMessage((message) => {
  if (message.type !== 'close') return
  clearInterval(progress)
  void client.close().then(() => process.exit(0))
})
