import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { acknowledgementProbeDelayMs, createClient, type FolioClient, openSqliteReplicaStore, type SqliteReplicaStore } from '../../clients/node.js'
import type { FolioServer } from '../../server/index.js'
import { adminPassword } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'
import { fastReconnect, waitFor } from './harness.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serverWith(env: Record<string, string> = {}): Promise<{ server: FolioServer; storePath: string; dbPath: string }> {
  const tmp = tempDir()
  const server = await startTestServer(tmp.dbPath, env)
  cleanups.push(() => tmp.remove(), () => server.close())
  return { server, storePath: join(tmp.dir, 'replica.db'), dbPath: tmp.dbPath }
}

async function adminClient(server: FolioServer): Promise<FolioClient> {
  const client = createClient({ url: server.url, WebSocket, reconnect: fastReconnect })
  cleanups.push(() => client.close())
  await client.login('admin', adminPassword)
  return client
}

function store(path: string, compactEveryUpdates?: number): SqliteReplicaStore {
  const opened = openSqliteReplicaStore(path, compactEveryUpdates === undefined ? {} : { compactEveryUpdates })
  cleanups.push(() => opened.close())
  return opened
}

function rows(path: string): { all: number; pending: number } {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare('SELECT count(*) AS "all", coalesce(sum(pending), 0) AS pending FROM replica_update').get() as { all: number; pending: number }
  } finally {
    db.close()
  }
}

describe('the SQLite replica store', () => {
  it('merges acknowledged and remote updates into one past its limit, and the doc reopens as it was', async () => {
    const { server, storePath } = await serverWith()
    const client = await adminClient(server)
    const replicas = store(storePath, 5)
    const opened = client.openDoc('notes:compact', { store: replicas, disableBc: true })
    await waitFor('the doc to sync', () => opened.provider.synced)
    const text = opened.doc.getText('text')
    for (let i = 0; i < 30; i++) text.insert(text.length, `${i},`)
    expect(opened.unacknowledged()).toBe(30)
    await opened.whenAcknowledged()
    expect(opened.unacknowledged()).toBe(0)
    expect(rows(storePath)).toEqual({ all: 1, pending: 0 })

    opened.doc.destroy()
    const reopened = replicas.open('notes:compact')
    expect(reopened.pending).toEqual([])
    const again = client.openDoc('notes:compact', { store: replicas, connect: false })
    expect(again.doc.getText('text').toString()).toBe(text.toString())
  })

  it('never counts an edit as stored when the server only lets the doc be read', async () => {
    const { server, storePath } = await serverWith({ FOLIO_SCRATCH_DOC_ACCESS: 'read' })
    const client = await adminClient(server)
    const opened = client.openDoc('notes:read-only', { store: store(storePath), disableBc: true })
    const denied: string[] = []
    opened.onAccessChange(({ access }) => void denied.push(access))
    await waitFor('the doc to sync', () => opened.provider.synced)
    opened.doc.getText('text').insert(0, 'not stored')
    await waitFor('permission denied', () => denied.includes('read'))
    // The probe goes out after the delay and its answer comes back on loopback well within as long again.
    await new Promise((resolve) => setTimeout(resolve, acknowledgementProbeDelayMs * 3))
    expect(opened.unacknowledged()).toBe(1)
    opened.provider.disconnect()
    opened.provider.connect()
    await waitFor('the doc to sync again', () => opened.provider.synced)
    await new Promise((resolve) => setTimeout(resolve, acknowledgementProbeDelayMs))
    expect(opened.unacknowledged()).toBe(1)
    expect(rows(storePath).pending).toBe(1)
  })

  it('opens a replica file from before it kept typing times: the old pending edit syncs untimed, new ones with their time', async () => {
    const { server, storePath, dbPath } = await serverWith()
    const old = new Database(storePath)
    old.exec('CREATE TABLE replica_update (id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL, pending INTEGER NOT NULL)')
    const before = new Y.Doc()
    before.getText('text').insert(0, 'old ')
    old.prepare('INSERT INTO replica_update (doc, data, pending) VALUES (?, ?, 1)').run('notes:upgraded', Y.encodeStateAsUpdate(before))
    old.close()

    const replicas = store(storePath)
    expect(replicas.open('notes:upgraded').pending.map((p) => p.typedAt)).toEqual([null])
    const client = await adminClient(server)
    const opened = client.openDoc('notes:upgraded', { store: replicas, disableBc: true, connect: false })
    const typedFrom = Date.now()
    opened.doc.getText('text').insert(4, 'new')
    opened.provider.connect()
    await opened.whenAcknowledged()
    const db = new Database(dbPath, { readonly: true })
    try {
      const records = db.prepare("SELECT typed_at FROM doc_update WHERE doc_id = 'notes:upgraded' ORDER BY seq").all() as { typed_at: number | null }[]
      // In the order they were made: the old edit untimed (its arrival time stands), the new one it builds on with its time.
      expect(records).toHaveLength(2)
      expect(records[0]!.typed_at).toBeNull()
      expect(records[1]!.typed_at).toBeGreaterThanOrEqual(typedFrom)
    } finally {
      db.close()
    }
  })

  it('still brings a pending edit to a server that lost what it builds on: the stock sync sends both after a 1013', async () => {
    const { server, storePath, dbPath } = await serverWith()
    const replicas = store(storePath)
    // The replica holds a base as acknowledged (settled) that this fresh server never stored, and an edit on it.
    const base = new Y.Doc()
    base.getText('text').insert(0, 'base ')
    const settled = replicas.open('notes:lost-base')
    settled.storeRemote(Y.encodeStateAsUpdate(base))
    settled.close()
    const client = await adminClient(server)
    const opened = client.openDoc('notes:lost-base', { store: replicas, disableBc: true })
    opened.doc.getText('text').insert(5, 'edit')
    await opened.whenAcknowledged()
    const db = new Database(dbPath, { readonly: true })
    try {
      expect(db.prepare("SELECT count(*) AS n FROM doc_update WHERE doc_id = 'notes:lost-base'").get()).toEqual({ n: 1 })
    } finally {
      db.close()
    }
  })
})
