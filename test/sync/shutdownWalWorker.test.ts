import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WalCheckpointer } from '../../sync/index.js'
import { type FolioDatabase, openDatabase } from '../../schema/db/index.js'
import { waitFor } from '../helpers/clients.js'
import { tempDir, waitsForSqliteLock } from '../helpers/server.js'

/** The worker's SQLite busy timeout: a worker blocked on a lock stays blocked this long. */
const workerBusyTimeoutMs = 5_000

describe('stopping the WAL checkpoint worker', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase

  beforeEach(() => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
  })
  afterEach(() => {
    db.$client.close()
    tmp.remove()
  })

  it('settles after a normal run and gives checkpointing back to the connection', async () => {
    const checkpointer = new WalCheckpointer(db, tmp.dbPath, 10, () => {})
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    await checkpointer.stop()
    await checkpointer.stop()
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  })

  it('reports why the worker died, and settles after it did', async () => {
    const notADatabase = join(tmp.dir, 'garbage.db')
    writeFileSync(notADatabase, 'x'.repeat(4096))
    const errors: Error[] = []
    const checkpointer = new WalCheckpointer(db, notADatabase, 10, (error) => errors.push(error))
    await waitFor('the worker to fail', () => errors.length > 0)
    expect(errors[0]!.message).toBe('file is not a database (SQLITE_NOTADB)')
    await checkpointer.stop()
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  })

  it('settles, leaving the worker behind, when it hangs inside SQLite', async () => {
    // Another process holding the file exclusively keeps every worker statement waiting on the lock.
    const lockedPath = join(tmp.dir, 'locked.db')
    const locker = new Database(lockedPath)
    locker.pragma('journal_mode = WAL')
    locker.pragma('locking_mode = EXCLUSIVE')
    locker.exec('create table held (x); begin exclusive; insert into held values (1)')
    const errors: Error[] = []
    try {
      const checkpointer = new WalCheckpointer(db, lockedPath, 10, (error) => errors.push(error))
      await waitFor('the worker to wait for the lock', () => waitsForSqliteLock(process.pid))
      const started = Date.now()
      await checkpointer.stop()
      expect(Date.now() - started).toBeLessThan(workerBusyTimeoutMs - 1_000)
      expect(errors.map((error) => error.message)).toContainEqual(expect.stringMatching(/did not stop within \d+ ms/))
    } finally {
      locker.close()
    }
  })
})
