// A Node shell that edits offline and syncs: `node offline-shell.mjs "some text"`.
// The first run signs in (FOLIO_PASSWORD); later runs may pass the token (FOLIO_TOKEN) and start offline.
import WebSocket from 'ws' // Node 20 has no global WebSocket
import { createClient, openSqliteReplicaStore } from 'folio-sync-client/node'

const url = process.env.FOLIO_URL ?? 'http://127.0.0.1:1234'
const store = openSqliteReplicaStore(process.env.FOLIO_REPLICAS ?? './replicas.db')
const client = createClient({ url, WebSocket, token: process.env.FOLIO_TOKEN ?? null })
if (!client.token) await client.login(process.env.FOLIO_USER ?? 'admin', process.env.FOLIO_PASSWORD)

const { doc, unacknowledged, whenAcknowledged } = client.openDoc('notes:shell', { store })
const text = doc.getText('text')
console.log(`last state: "${text}", ${unacknowledged()} edits not on the server yet`)
text.insert(text.length, process.argv[2] ?? 'hello ') // stored locally before insert returns

await whenAcknowledged() // offline, this waits for the server; Ctrl-C keeps the edit for the next run
console.log(`on the server: "${text}"`)
client.close()
store.close()
