// One SDK client opening many docs, run as a child of bench/muxDocs.ts so its memory is its own.
// Input (env): FOLIO_URL, FOLIO_TOKEN, DOCS, MULTIPLEX ('true' | 'false'), RUN_ID.
import WebSocket from 'ws'
import { createClient } from '../clients/index.js'

const docs = Number(process.env.DOCS)
// y-websocket's provider adds a process 'exit' listener of its own in Node: one per doc here.
process.setMaxListeners(docs + 10)
const multiplex = process.env.MULTIPLEX === 'true'
const client = createClient({ url: process.env.FOLIO_URL!, token: process.env.FOLIO_TOKEN!, WebSocket, multiplex, keepSessionAlive: false })
const started = performance.now()
const opened = Array.from({ length: docs }, (_, i) => client.openDoc(`bench:${process.env.RUN_ID}-${i}`, { disableBc: true }))
let synced = 0
await new Promise<void>((resolve) => {
  for (const { provider } of opened) {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return
      provider.off('sync', onSync)
      if (++synced === docs) resolve()
    }
    provider.on('sync', onSync)
  }
})
const syncMs = performance.now() - started
// Let the last frames settle, then collect garbage so the heap is what the docs hold.
await new Promise((resolve) => setTimeout(resolve, 1_000))
globalThis.gc?.()
const memory = process.memoryUsage()
process.send!({ type: 'synced', syncMs, rssKb: memory.rss / 1024, heapUsedKb: memory.heapUsed / 1024 })
process.on('message', () => {
  client.close()
  process.exit(0)
})
