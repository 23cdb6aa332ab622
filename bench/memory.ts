import { setTimeout as sleep } from 'node:timers/promises'
import * as Y from 'yjs'
import { rssKb, type BenchServer } from './servers.js'
import { encodeUpdateFrame, RawClient } from './wire.js'

export const idleDocs = 500
const contentChars = 2_048
const settleMs = 2_000
/** Docs opened at once; enough to be quick, few enough not to queue thousands of handshakes. */
const openConcurrency = 50

export interface MemoryResult {
  beforeKb: number
  afterKb: number
  perDocKb: number
}

/**
 * Server RSS growth per loaded idle document: each doc gets ~2 KB of text from a raw client whose
 * connection then stays open, so neither server unloads it.
 */
export async function measureIdleDocMemory(server: BenchServer, runId: string): Promise<MemoryResult> {
  const content = encodeUpdateFrame(textUpdate(contentChars))
  const clients: RawClient[] = []
  const openDoc = async (docName: string): Promise<void> => {
    const client = await RawClient.connect(server.address(docName))
    client.send(content)
    // The step 2 answer comes after the server handled the content frame sent before it.
    await client.sync()
    clients.push(client)
  }
  try {
    // One doc first, so code paths the first doc loads lazily are not counted per doc.
    await openDoc(`${runId}-warmup`)
    await sleep(settleMs)
    const beforeKb = rssKb(server.pid)
    for (let first = 0; first < idleDocs; first += openConcurrency) {
      const batch = Array.from({ length: Math.min(openConcurrency, idleDocs - first) }, (_, i) => openDoc(`${runId}-${first + i}`))
      await Promise.all(batch)
    }
    await sleep(settleMs)
    const afterKb = rssKb(server.pid)
    return { beforeKb, afterKb, perDocKb: (afterKb - beforeKb) / idleDocs }
  } finally {
    await Promise.all(clients.map((client) => client.close()))
  }
}

/** One update inserting `chars` characters of prose-like text. */
function textUpdate(chars: number): Uint8Array {
  const doc = new Y.Doc()
  const sentence = 'The quick brown fox jumps over the lazy dog. '
  doc.getText('content').insert(0, sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
