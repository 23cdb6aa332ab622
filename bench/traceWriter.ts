import * as Y from 'yjs'
import { epochMs } from './child.js'
import { writerClientId } from './edits.js'
import { onParentMessage, tellParent } from './traceMessages.js'
import { applyPatch, loadTrace, tracePath } from './trace.js'
import { type DocAddress, encodeUpdateFrame, RawClient } from './wire.js'

/**
 * The trace replay's writer, a child process of bench/traceReplay.ts (argv: the DocAddress as
 * JSON). It replays the automerge-paper trace into a Y.Doc one transaction per patch and keeps
 * each transaction's update as the sync Update frame a stock WebsocketProvider would send for it.
 * On 'go' it sends them all back to back in one synchronous loop, as a provider does when an
 * application applies the edits in a loop: no waiting for the server. Building the frames first
 * keeps the client's own Yjs work out of the measured time.
 */
const address = JSON.parse(process.argv[2] ?? '') as DocAddress
const trace = loadTrace()
if (!trace) throw new Error(`the trace replay needs ${tracePath}`)

const doc = new Y.Doc()
doc.clientID = writerClientId
const messages: Uint8Array[] = []
doc.on('update', (update: Uint8Array) => messages.push(encodeUpdateFrame(update)))
const text = doc.getText('content')
for (const patch of trace.patches) applyPatch(text, patch)
doc.destroy()

const client = await RawClient.connect(address, () => {}, (reason) => tellParent({ type: 'lost', reason, at: epochMs() }))
tellParent({ type: 'ready', transactions: messages.length })

onParentMessage((message) => {
  if (message.type === 'go') {
    const firstSendAt = epochMs()
    try {
      for (const frame of messages) client.send(frame)
    } finally {
      tellParent({ type: 'sent', firstSendAt, lastSendAt: epochMs() })
    }
  } else if (message.type === 'close') {
    void client.close().then(() => process.exit(0))
  }
})
