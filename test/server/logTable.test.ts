import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clientLoggingSetting } from '../../schema/index.js'
import { openDatabase } from '../../schema/db/index.js'
import { type FolioServer, createLogger, loadConfig } from '../../server/index.js'
import { LogTable } from '../../server/logs/index.js'
import { SerialTransactions } from '../../sync/index.js'
import { adminPassword, login, registerAndLogin } from '../helpers/accounts.js'
import { waitFor } from '../helpers/clients.js'
import { EventsConnection } from '../helpers/events.js'
import { queryDb } from '../helpers/rooms.js'
import { startTestServer, tempDir } from '../helpers/server.js'

type LogRow = { level: string; message: string; service: string; meta: string | null; userId: number | null }
const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })

describe('the log table', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => void (tmp = tempDir()))
  afterEach(() => tmp.remove())
  const rows = (where = '1 = 1') => queryDb(tmp.dbPath, `SELECT level, message, service, meta, user_id AS userId FROM log WHERE ${where} ORDER BY id`) as LogRow[]

  it('stores the server’s lines from its level on, redacted, and none written inside a transaction is rolled back with it', async () => {
    const db = openDatabase(tmp.dbPath)
    const table = new LogTable(10)
    table.attach(db)
    const log = createLogger('silent', undefined, { level: loadConfig({}).records.logTableLevel, stream: table.lineWriter('server') })
    log.info('quiet.by.default')
    log.warn('login.odd', { token: 'tok-secret', headers: { authorization: 'Bearer abc' }, userId: 7 })
    await SerialTransactions.of(db)
      .transaction(async () => {
        log.error('inside.failed.transaction', { password: 'hunter2' })
        throw new Error('roll back')
      })
      .catch(() => {})
    await table.close()
    db.$client.close()
    expect(rows()).toEqual([
      { level: 'warn', message: 'login.odd', service: 'server', meta: JSON.stringify({ token: '[redacted]', headers: { authorization: '[redacted]' }, userId: 7 }), userId: 7 },
      { level: 'error', message: 'inside.failed.transaction', service: 'server', meta: JSON.stringify({ password: '[redacted]' }), userId: null },
    ])
  })

  describe('on a running server', () => {
    let server: FolioServer
    const connections: EventsConnection[] = []
    beforeEach(async () => {
      server = await startTestServer(tmp.dbPath, { FOLIO_LOG_TABLE_LEVEL: 'info', FOLIO_LOG_TABLE_FLUSH_MS: '20' })
    })
    afterEach(async () => {
      for (const connection of connections.splice(0)) connection.ws.close()
      await server.close()
    })
    const connect = async (token: string) => {
      const connection = await EventsConnection.open(server, token)
      connections.push(connection)
      return connection
    }

    it('has the server’s own lines', async () => {
      await waitFor('server.started in the log table', () => rows("message = 'server.started'").length === 1)
      expect(rows("message = 'server.started'")[0]).toMatchObject({ level: 'info', service: 'server' })
    })

    it('takes clients’ entries only while the setting allows them, redacted like the server’s', async () => {
      const user = await registerAndLogin(server.url, 'ann')
      const ann = await connect(user.token)
      const admin = await connect(await login(server.url, 'admin', adminPassword))
      expect(await ann.call('log', { level: 'error', message: 'editor crashed' })).toMatchObject(refused('logging from clients is switched off'))
      await admin.ok('settingSave', [{ key: clientLoggingSetting, value: 'true' }])
      expect(await ann.call('log', { level: 'error', message: 'editor crashed', meta: { token: 'abc', line: 3 } })).toMatchObject({ success: true })
      await waitFor('the client entry', () => rows("service = 'client'").length === 1)
      expect(rows("service = 'client'")).toEqual([{ level: 'error', message: 'editor crashed', service: 'client', meta: JSON.stringify({ token: '[redacted]', line: 3, userId: user.userId }), userId: user.userId }])
    })

    it('logGetAll pages, filters and orders the table for admins, pushing logAll, and refuses everyone else', async () => {
      const user = await registerAndLogin(server.url, 'ann')
      const ann = await connect(user.token)
      const admin = await connect(await login(server.url, 'admin', adminPassword))
      await admin.ok('settingSave', [{ key: clientLoggingSetting, value: 'true' }])
      for (const message of ['one', 'two', 'three']) await ann.ok('log', { level: 'warn', message })
      await waitFor('the client entries', () => rows("service = 'client'").length === 3)
      type Page = { rows: { message: string; creator_name: string | null }[]; count: number }
      const page = await admin.ok<Page>('logGetAll', { filter: { service: 'client' }, order: [['message', 'ASC']], limit: 2, page: 0 })
      expect(page.count).toBe(3)
      expect(page.rows.map((row) => [row.message, row.creator_name])).toEqual([['one', 'ann'], ['three', 'ann']])
      const next = await admin.ok<Page>('logGetAll', { filter: { service: 'client' }, order: [['message', 'ASC']], limit: 2, page: 1 })
      expect(next.rows.map((row) => row.message)).toEqual(['two'])
      expect((await admin.ok<Page>('logGetAll', { filter: { message: 'hre' } })).rows.map((row) => row.message)).toEqual(['three'])
      expect(admin.pushes.filter((push) => push.event === 'logAll')).toHaveLength(3)
      expect(await ann.call('logGetAll', {})).toMatchObject(refused('only administrators'))
    })
  })
})
