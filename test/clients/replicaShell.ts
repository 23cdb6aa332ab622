/**
 * A desktop shell in a child process, for the offline replica tests: it opens one doc with a
 * SQLite replica store and takes commands on stdin, one a line (`edit <text>`, `acknowledged`,
 * `exit`), answering each with a JSON line on stdout. Run with
 * `node --import tsx test/clients/replicaShell.ts <server url> <store file> <doc name>`, the token in FOLIO_TOKEN.
 */
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import { createClient, openSqliteReplicaStore } from '../../clients/node.js'

const [url, storePath, docName] = process.argv.slice(2)
if (!url || !storePath || !docName) throw new Error('usage: replicaShell.ts <server url> <store file> <doc name>')

const store = openSqliteReplicaStore(storePath)
const client = createClient({ url, WebSocket, token: process.env.FOLIO_TOKEN ?? null, reconnect: { baseMs: 20, maxMs: 200 } })
const opened = client.openDoc(docName, { store, maxBackoffTime: 200, disableBc: true })
const text = opened.doc.getText('text')
const say = (event: string): void => console.log(JSON.stringify({ event, text: text.toString(), unacknowledged: opened.unacknowledged() }))

say('loaded')
opened.provider.on('sync', (synced: boolean) => synced && say('synced'))
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...rest] = line.split(' ')
  if (command === 'edit') {
    text.insert(text.length, rest.join(' '))
    say('edited')
  } else if (command === 'acknowledged') {
    await opened.whenAcknowledged()
    say('acknowledged')
  } else if (command === 'exit') {
    client.close()
    store.close()
    say('exited')
    process.exit(0)
  }
}
