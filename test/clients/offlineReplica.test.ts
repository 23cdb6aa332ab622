import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../../schema/db/index.js'
import { DocHistory, SqliteHistoryStore } from '../../sync/index.js'
import { closeProviders, syncedProvider, waitFor } from '../helpers/clients.js'
import { ServerProcesses, syncUrl } from '../helpers/server.js'
import { freePort } from './ports.js'
import { ShellProcess } from './shellProcess.js'

const servers = new ServerProcesses()
const shells: ShellProcess[] = []
afterEach(async () => {
  await Promise.all(shells.splice(0).map((shell) => shell.kill()))
  await servers.cleanup()
})

function shell(url: string, storePath: string, docName: string): ShellProcess {
  const started = new ShellProcess(url, storePath, docName, servers.token)
  shells.push(started)
  return started
}

/** Runs `edit` and returns the span of time it ran in: the typing time of its update lies in it. */
async function timed(edit: () => Promise<unknown>): Promise<{ from: number; to: number }> {
  const from = Date.now()
  await edit()
  return { from, to: Date.now() }
}

/** Rows of the shell's store file still marked pending. */
function pendingRows(storePath: string): number {
  const db = new Database(storePath, { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM replica_update WHERE pending = 1').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('a shell with a SQLite replica store', () => {
  it('keeps edits made offline over an exit and a SIGKILL, and brings them all to the server once it is back', async () => {
    const env = { PORT: String(await freePort()) }
    const docName = 'notes:offline-shell'
    const storePath = join(servers.tmp.dir, 'replica.db')
    let server = await servers.start(env)
    const url = server.url

    // 1. The shell syncs while the server is up; then the server is killed.
    const first = shell(url, storePath, docName)
    await first.next('synced')
    server.child.kill('SIGKILL')
    await server.exited

    // 2. Offline, it edits and exits.
    const typedOne = await timed(async () => expect((await first.command('edit one ', 'edited')).text).toBe('one '))
    await first.command('exit', 'exited')
    expect((await first.exited).code).toBe(0)

    // 3. Started again, still offline: the last state is there; it edits more and is killed at once.
    const second = shell(url, storePath, docName)
    const reloaded = await second.next('loaded')
    expect(reloaded).toMatchObject({ text: 'one ', unacknowledged: 1 })
    const typedTwo = await timed(async () => expect((await second.command('edit two', 'edited')).text).toBe('one two'))
    expect((await second.kill()) as { signal: string }).toMatchObject({ signal: 'SIGKILL' })

    // 4. Started once more, with the server back: every edit reaches it, and the store lets go of them.
    const third = shell(url, storePath, docName)
    expect(await third.next('loaded')).toMatchObject({ text: 'one two', unacknowledged: 2 })
    const back = Date.now()
    server = await servers.start(env)
    expect(server.url).toBe(url)
    expect(await third.command('acknowledged', 'acknowledged', 20_000)).toMatchObject({ text: 'one two', unacknowledged: 0 })
    expect(pendingRows(storePath)).toBe(0)

    // Another client, a stock y-websocket provider, gets both offline runs' edits from the server.
    const other = await syncedProvider(syncUrl(server), docName, { doc: new Y.Doc(), params: { token: servers.token } })
    try {
      await waitFor('the offline edits at the other client', () => other.doc.getText('text').toString() === 'one two')
    } finally {
      closeProviders(other)
    }

    // The history holds one revision per offline edit, each at the time it was typed (in that order,
    // before the server was back), with its arrival beside it; the stock sync after them added nothing.
    const db = openDatabase(servers.tmp.dbPath)
    try {
      const { revisions } = new DocHistory(new SqliteHistoryStore(db), 'text').revisions(docName, { fromSeq: 1, limit: 100, groupMs: 0 })
      expect(revisions.map((revision) => revision.delta)).toEqual([[{ insert: 'one ' }], [{ retain: 4 }, { insert: 'two' }]])
      const [one, two] = revisions
      expect(one!.typedAt).toBeGreaterThanOrEqual(typedOne.from)
      expect(one!.typedAt).toBeLessThanOrEqual(typedOne.to)
      expect(two!.typedAt).toBeGreaterThanOrEqual(typedTwo.from)
      expect(two!.typedAt).toBeLessThanOrEqual(typedTwo.to)
      for (const revision of revisions) expect(revision.createdAt).toBeGreaterThanOrEqual(back)
    } finally {
      db.$client.close()
    }
  }, 60_000)
})
