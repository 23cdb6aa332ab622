import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Permissions } from '../../server/access/index.js'
import { bootstrapAccounts } from '../../server/auth/index.js'
import { ForbiddenError } from '../../server/errors.js'
import { type EventClient, EventHub } from '../../server/events/index.js'
import { createLogger } from '../../server/logger.js'
import { syncedTables, TableSync, writeSyncedRow } from '../../server/realtime/index.js'
import { RpcRegistry } from '../../server/rpc/index.js'
import { noInput } from '../../schema/index.js'
import { openDatabase } from '../../schema/db/index.js'
import { rpc } from '../helpers/accounts.js'
import { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { tempDir } from '../helpers/server.js'

type Row = Record<string, unknown> & { id: number }

describe('realtime table sync', () => {
  const running = useEventsServer()
  const { connectAdmin, connectUser } = running
  const createDocument = (events: EventsConnection, data: Record<string, unknown>) => events.ok<number>('appDataUpdate', { table: 'document', data })
  const readDocument = (id: number) => {
    const db = new Database(running.dbPath, { readonly: true })
    try {
      return db.prepare('SELECT name, user_id AS userId, public, deleted FROM document WHERE id = ?').get(id) as Record<string, unknown> | undefined
    } finally {
      db.close()
    }
  }

  it('appInit pushes the user with roles and rights, the tables, the settings and the system roles, never a secret', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')

    const adminBundle = await admin.ok<Record<string, any>>('appInit')
    expect(admin.pushes.map((push) => push.event)).toEqual(['appUser', 'appTables', 'appSettings', 'appSystemRoles'])
    expect(adminBundle.appUser).toMatchObject({ userName: 'admin', isAdmin: true, roles: expect.arrayContaining([{ id: expect.any(Number), name: 'admin' }]) })
    expect(adminBundle.appSettings).toHaveProperty(['system.mailService.smtp.auth.pass'])

    const annBundle = await ann.events.ok<Record<string, any>>('appInit')
    expect(annBundle.appUser).toMatchObject({ id: ann.userId, userName: 'ann', isAdmin: false, roles: [{ id: expect.any(Number), name: 'user' }] })
    expect(annBundle.appUser.rights).toContain('frontend.dashboard.documents.view')
    expect(annBundle.appSettings).toMatchObject({ 'app.register.enabled': 'true' })
    expect(annBundle.appSettings).not.toHaveProperty(['system.mailService.smtp.auth.pass'])
    expect(annBundle.appSystemRoles.map((role: { name: string }) => role.name)).toEqual(['admin', 'user', 'teacher', 'mentor', 'student', 'guest'])
    const tables = annBundle.appTables as { name: string; fields: { name: string; required: boolean; default?: unknown }[] }[]
    expect(tables.map((table) => table.name)).toEqual(Object.keys(syncedTables))
    const documentFields = tables.find((table) => table.name === 'document')!.fields
    expect(documentFields).toContainEqual({ name: 'name', type: 'string', required: true })
    expect(documentFields).toContainEqual({ name: 'public', type: 'boolean', required: false, default: false })
    expect(tables.find((table) => table.name === 'user')!.fields.map((field) => field.name)).not.toContain('passwordHash')
    // Each push carries the same part of the bundle the answer carries.
    expect(ann.events.pushes.find((push) => push.event === 'appUser')!.data).toEqual(annBundle.appUser)

    // HTTP callers get the bundle as the answer.
    const overHttp = await rpc<Record<string, any>>(running.server.url, 'appInit', {}, ann.token)
    expect(overHttp.body.success && overHttp.body.data.appUser.userName).toBe('ann')

    // User rows pushed to an admin (snapshot and change) carry no password hash either.
    await admin.ok('subscribeAppData', { table: 'user' })
    await admin.ok('appDataUpdate', { table: 'user', data: { id: ann.userId, firstName: 'Ann' } })
    await admin.waitForRow('user', 'the renamed user', (row) => row.firstName === 'Ann')
    for (const text of [...admin.texts, ...ann.events.texts, JSON.stringify(overHttp.body)]) expect(text).not.toMatch(/passwordHash|scrypt/)
  })

  it('re-sends appSettings to the caller after appSettingSet', async () => {
    const ann = await connectUser('ann')
    await ann.events.ok('appSettingSet', { key: 'editor.edits.debounceTime', value: 250 })
    expect(ann.events.pushes).toEqual([{ event: 'appSettings', data: expect.objectContaining({ 'editor.edits.debounceTime': '250' }) }])
    expect(ann.events.pushes[0]!.data).not.toHaveProperty(['system.mailService.smtp.auth.pass'])
  })

  it('answers a subscription with a snapshot of the rows the caller may see, without deleted rows', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    const annPrivate = await createDocument(ann.events, { name: 'ann private' })
    const annPublic = await createDocument(ann.events, { name: 'ann public', public: true })
    const benOwn = await createDocument(ben.events, { name: 'ben own' })
    const benDeleted = await createDocument(ben.events, { name: 'ben deleted' })
    await ben.events.ok('appDataUpdate', { table: 'document', data: { id: benDeleted, deleted: true } })

    const snapshotIds = (events: EventsConnection) => (events.pushes.at(-1)!.data as Row[]).map((row) => row.id).sort()
    await ben.events.ok('subscribeAppData', { table: 'document' })
    expect(snapshotIds(ben.events)).toEqual([annPublic, benOwn].sort())
    await admin.ok('subscribeAppData', { table: 'document' })
    expect(snapshotIds(admin)).toEqual([annPrivate, annPublic, benOwn].sort())

    // Users see only their own user row; the catalogue tables are readable by everyone.
    expect(await ben.events.ok('subscribeAppData', { table: 'user' })).toMatch(/^[0-9a-f-]{36}$/)
    expect(ben.events.rowsOf('user').map((row) => row.userName)).toEqual(['ben'])
    await ben.events.ok('subscribeAppData', { table: 'user_role' })
    expect(ben.events.rowsOf('user_role')).toHaveLength(6)
    await ben.events.ok('subscribeAppData', { table: 'user_role_matching' })
    expect(ben.events.rowsOf('user_role_matching').map((row) => row.userId)).toEqual([ben.userId])
  })

  it('refuses subscriptions it cannot serve, naming what is wrong', async () => {
    const ann = await connectUser('ann')
    const unknownKey = await ann.events.call('subscribeAppData', { table: 'document', filter: [{ key: 'colour', value: 'red' }] })
    expect(unknownKey).toMatchObject({ success: false, message: expect.stringContaining('"colour"') })
    const secretKey = await ann.events.call('subscribeAppData', { table: 'user', filter: [{ key: 'passwordHash', value: 'x' }] })
    expect(secretKey).toMatchObject({ success: false, message: expect.stringContaining('"passwordHash"') })
    const wrongType = await ann.events.call('subscribeAppData', { table: 'document', filter: [{ key: 'userId', values: ['me'] }] })
    expect(wrongType).toMatchObject({ success: false, message: expect.stringContaining('filter.0.values.0') })
    const unknownTable = await ann.events.call('subscribeAppData', { table: 'password' })
    expect(unknownTable).toMatchObject({ success: false, message: expect.stringContaining('table') })
    const overHttp = await rpc(running.server.url, 'subscribeAppData', { table: 'document' }, ann.token)
    expect(overHttp.body).toMatchObject({ success: false, message: expect.stringContaining('events websocket') })
    expect(ann.events.pushes).toEqual([])
  })

  it('pushes a change only to subscribers who may see the row', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    const unsubscribed = await connectUser('cid')
    for (const events of [admin, ann.events, ben.events]) await events.ok('subscribeAppData', { table: 'document' })

    const secret = await createDocument(ann.events, { name: 'ann secret' })
    await ann.events.waitForRow('document', 'the owner’s new row', (row) => row.id === secret)
    await admin.waitForRow('document', 'the new row for the admin', (row) => row.id === secret)
    // Pushes reach each socket in commit order: once ben has the later public row, the earlier private one would have arrived.
    const visible = await createDocument(ann.events, { name: 'ann public', public: true })
    await ben.events.waitForRow('document', 'the public row', (row) => row.id === visible)
    expect(ben.events.rowsOf('document').map((row) => row.id)).toEqual([visible])
    expect(unsubscribed.events.pushes).toEqual([])
  })

  it('honours subscription filters on pushes, and stops one subscription on unsubscribe', async () => {
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    const wanted = await ben.events.ok<string>('subscribeAppData', { table: 'document', filter: [{ key: 'name', values: ['wanted', 'also wanted'] }] })
    await ben.events.ok('subscribeAppData', { table: 'document', filter: [{ key: 'name', value: 'kept' }, { type: 'not', key: 'type', value: 0 }] })

    await createDocument(ann.events, { name: 'unwanted', public: true })
    await createDocument(ann.events, { name: 'kept', public: true, type: 0 })
    await createDocument(ann.events, { name: 'wanted', public: true })
    await ben.events.waitForRow('document', 'the wanted row', (row) => row.name === 'wanted')
    expect(ben.events.rowsOf('document').map((row) => row.name)).toEqual(['wanted'])

    expect(await ben.events.ok('unsubscribeAppData', wanted)).toBe(wanted)
    await createDocument(ann.events, { name: 'also wanted', public: true })
    await createDocument(ann.events, { name: 'kept', public: true })
    await ben.events.waitForRow('document', 'the row of the remaining subscription', (row) => row.name === 'kept')
    expect(ben.events.rowsOf('document').map((row) => row.name)).toEqual(['wanted', 'kept'])

    const again = await ben.events.call('unsubscribeAppData', wanted)
    expect(again).toMatchObject({ success: false, message: expect.stringContaining(wanted) })
  })

  it('pushes deleted rows with deleted: true to those who could see them', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    const shared = await createDocument(ann.events, { name: 'shared', public: true })
    for (const events of [admin, ann.events, ben.events]) await events.ok('subscribeAppData', { table: 'document' })

    await ann.events.ok('appDataUpdate', { table: 'document', data: { id: shared, deleted: true } })
    for (const events of [admin, ann.events, ben.events]) {
      const row = await events.waitForRow('document', 'the deletion', (candidate) => candidate.id === shared && candidate.deleted === true)
      expect(row.deletedAt).toEqual(expect.any(String))
    }
    await ben.events.ok('subscribeAppData', { table: 'document' })
    expect(ben.events.pushes.at(-1)!.data).toEqual([])
    expect(readDocument(shared)).toMatchObject({ deleted: 1 })
  })

  it('tells subscribers when a row leaves their view, with its id and nothing else', async () => {
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    const paper = await createDocument(ann.events, { name: 'paper', public: true })
    await ben.events.ok('subscribeAppData', { table: 'document' })
    await ann.events.ok('subscribeAppData', { table: 'document', filter: [{ key: 'public', value: true }] })
    await ben.events.waitForRow('document', 'the public paper', (row) => row.id === paper)

    await ann.events.ok('appDataUpdate', { table: 'document', data: { id: paper, public: false, name: 'secret title' } })
    // Ben may no longer see it; Ann still may, but it left her filter.
    for (const events of [ben.events, ann.events]) {
      const removal = await events.waitForRow('document', 'the removal', (row) => row.id === paper && row.deleted === true)
      expect(removal).toEqual({ id: paper, deleted: true })
    }
    expect(ben.events.texts.join('')).not.toContain('secret title')
  })

  it("refuses to change another user's rows, by id or by owner, and changes nothing", async () => {
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    const annPublic = await createDocument(ann.events, { name: 'ann public', public: true })
    const annPrivate = await createDocument(ann.events, { name: 'ann private' })
    await ann.events.ok('subscribeAppData', { table: 'document' })
    const pushesBefore = ann.events.pushes.length

    const rename = await ben.events.call('appDataUpdate', { table: 'document', data: { id: annPublic, name: 'hacked' } })
    expect(rename).toMatchObject({ success: false, message: expect.stringContaining('your own document rows') })
    const remove = await ben.events.call('appDataUpdate', { table: 'document', data: { id: annPublic, deleted: true } })
    expect(remove.success).toBe(false)
    // A private row of someone else is reported as missing, so ids do not reveal that it exists.
    const hidden = await ben.events.call('appDataUpdate', { table: 'document', data: { id: annPrivate, public: true } })
    expect(hidden).toMatchObject({ success: false, message: `document row ${annPrivate} does not exist` })
    const planted = await ben.events.call('appDataUpdate', { table: 'document', data: { name: 'planted', userId: ann.userId } })
    expect(planted).toMatchObject({ success: false, message: expect.stringContaining('that you own') })
    const takeover = await ann.events.call('appDataUpdate', { table: 'document', data: { id: annPublic, userId: ben.userId } })
    expect(takeover).toMatchObject({ success: false, message: expect.stringContaining('administrators') })
    const promote = await ben.events.call('appDataUpdate', { table: 'user_role_matching', data: { userId: ben.userId, userRoleId: 1 } })
    expect(promote).toMatchObject({ success: false, message: 'only administrators may change user_role_matching rows' })

    expect(readDocument(annPublic)).toEqual({ name: 'ann public', userId: ann.userId, public: 1, deleted: 0 })
    expect(readDocument(annPrivate)).toEqual({ name: 'ann private', userId: ann.userId, public: 0, deleted: 0 })
    expect((await ben.events.ok<Record<string, any>>('appInit')).appUser.isAdmin).toBe(false)
    // The owner still may, and nothing was pushed for the refused writes before it.
    await ann.events.ok('appDataUpdate', { table: 'document', data: { id: annPublic, name: 'renamed' } })
    await ann.events.waitForRow('document', 'the owner’s rename', (row) => row.name === 'renamed')
    expect(ann.events.pushes.slice(pushesBefore).flatMap((push) => push.data as Row[]).map((row) => row.name)).toEqual(['renamed'])
  })

  it('names the field of an invalid appDataUpdate and writes nothing', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')
    const failures = {
      missingName: await ann.events.call('appDataUpdate', { table: 'document', data: { public: true } }),
      unknownColumn: await ann.events.call('appDataUpdate', { table: 'document', data: { name: 'x', colour: 'red' } }),
      serverColumn: await ann.events.call('appDataUpdate', { table: 'document', data: { name: 'x', createdAt: 0 } }),
      wrongType: await ann.events.call('appDataUpdate', { table: 'document', data: { name: 42 } }),
      secretColumn: await admin.call('appDataUpdate', { table: 'user', data: { id: ann.userId, passwordHash: 'x' } }),
      missingKey: await admin.call('appDataUpdate', { table: 'role_right_matching', data: { userRoleId: 2 } }),
      missingReference: await admin.call('appDataUpdate', { table: 'user_role_matching', data: { userId: ann.userId, userRoleId: 999 } }),
      takenEmail: await admin.call('appDataUpdate', { table: 'user', data: { id: ann.userId, email: 'admin@localhost' } }),
    }
    expect(failures).toEqual({
      missingName: { id: expect.any(Number), success: false, message: 'invalid input: data.name: required for a new document row' },
      unknownColumn: { id: expect.any(Number), success: false, message: 'invalid input: data.colour: table document has no column "colour"' },
      serverColumn: { id: expect.any(Number), success: false, message: 'invalid input: data.createdAt: document.createdAt cannot be written' },
      wrongType: { id: expect.any(Number), success: false, message: expect.stringMatching(/^invalid input: data\.name: /) },
      secretColumn: { id: expect.any(Number), success: false, message: 'invalid input: data.passwordHash: user.passwordHash cannot be written' },
      missingKey: { id: expect.any(Number), success: false, message: expect.stringContaining('data.userRightName: required') },
      missingReference: { id: expect.any(Number), success: false, message: expect.stringContaining('check userId, userRoleId') },
      takenEmail: { id: expect.any(Number), success: false, message: 'another user row already has this email' },
    })
    const db = new Database(running.dbPath, { readonly: true })
    expect(db.prepare('SELECT count(*) AS n FROM document').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT email FROM user WHERE id = ?').get(ann.userId)).toEqual({ email: 'ann@example.test' })
    db.close()
  })

  it('applies a role change to visibility on the next call and push, without a new login', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')
    const ben = await connectUser('ben')
    await ben.events.ok('subscribeAppData', { table: 'document' })
    await ben.events.ok('subscribeAppData', { table: 'user_role_matching' })
    const before = await createDocument(ann.events, { name: 'before' })
    const barrier = await createDocument(ann.events, { name: 'barrier', public: true })
    await ben.events.waitForRow('document', 'the public barrier row', (row) => row.id === barrier)
    expect(ben.events.rowsOf('document').map((row) => row.id)).not.toContain(before)

    const { appSystemRoles } = await admin.ok<{ appSystemRoles: { id: number; name: string }[] }>('appInit')
    const teacher = appSystemRoles.find((role) => role.name === 'teacher')!.id
    const matching = await admin.ok<number>('appDataUpdate', { table: 'user_role_matching', data: { userId: ben.userId, userRoleId: teacher } })
    await ben.events.waitForRow('user_role_matching', 'ben’s new role', (row) => row.id === matching)

    // Next call: the studies full-access right of teachers shows every document.
    expect((await ben.events.ok<Record<string, any>>('appInit')).appUser.rights).toContain('frontend.dashboard.studies.fullAccess')
    await ben.events.ok('subscribeAppData', { table: 'document' })
    expect((ben.events.pushes.at(-1)!.data as Row[]).map((row) => row.id)).toContain(before)
    // Next push: a new private row of ann reaches ben.
    const after = await createDocument(ann.events, { name: 'after' })
    await ben.events.waitForRow('document', 'ann’s private row, seen as teacher', (row) => row.id === after)

    // Taking the role away again applies at once too.
    await admin.ok('appDataUpdate', { table: 'user_role_matching', data: { id: matching, deleted: true } })
    await ben.events.waitForRow('user_role_matching', 'the removed role', (row) => row.id === matching && row.deleted === true)
    const hidden = await createDocument(ann.events, { name: 'hidden again' })
    const secondBarrier = await createDocument(ann.events, { name: 'second barrier', public: true })
    await ben.events.waitForRow('document', 'the second barrier', (row) => row.id === secondBarrier)
    expect(ben.events.rowsOf('document').map((row) => row.id)).not.toContain(hidden)
  })

  it('publishes nothing for a write that fails', async () => {
    const admin = await connectAdmin()
    const ann = await connectUser('ann')
    await admin.ok('subscribeAppData', { table: 'user' })
    const refused = await admin.call('appDataUpdate', { table: 'user', data: { id: ann.userId, firstName: 'Never', email: 'admin@localhost' } })
    expect(refused.success).toBe(false)
    await admin.ok('appDataUpdate', { table: 'user', data: { id: ann.userId, lastName: 'Barrier' } })
    await admin.waitForRow('user', 'the later change', (row) => row.lastName === 'Barrier')
    expect(admin.rowsOf('user').map((row) => row.firstName)).not.toContain('Never')
  })
})

describe('table sync and transactions', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(() => {
    tmp.remove()
  })

  it('publishes a transaction’s rows after commit only: a rollback writes and pushes nothing', async () => {
    const db = openDatabase(tmp.dbPath)
    await bootstrapAccounts(db, 'admin-password')
    const admin = { id: 1, userName: 'admin' }
    const log = createLogger('silent')
    const hub = new EventHub()
    const tableSync = new TableSync(db, hub, log, 200)
    const registry = new RpcRegistry(db, (changes, writer) => tableSync.publish(changes, writer), log)
    const received: { event: string; data: unknown }[] = []
    const client: EventClient = { id: 'client-1', currentUser: async () => admin, send: (event, data) => received.push({ event, data }), end: () => {} }
    hub.add(client)
    // Writes a document the way appDataUpdate does, then fails (or not) before the transaction ends.
    const define = (event: string, fail: boolean) =>
      registry.define(
        event,
        noInput,
        async (_input, ctx) => {
          const { row } = await writeSyncedRow(ctx.db, syncedTables.document, ctx.can, { name: event })
          ctx.changes.record('document', row)
          if (fail) throw new ForbiddenError('changed my mind')
          return row.id
        },
        { transaction: true },
      )
    define('writeThenFail', true)
    define('writeThenCommit', false)
    expect((await tableSync.subscribe(client, await Permissions.load(db, admin), 'document', [])).rows).toEqual([])

    expect((await registry.call('writeThenFail', undefined, { user: admin, client })).answer).toEqual({ success: false, message: 'changed my mind' })
    expect(db.$client.prepare('SELECT count(*) AS n FROM document').get()).toEqual({ n: 0 })
    expect(received).toEqual([])

    expect((await registry.call('writeThenCommit', undefined, { user: admin, client })).answer).toMatchObject({ success: true })
    expect(received).toEqual([{ event: 'documentRefresh', data: [expect.objectContaining({ name: 'writeThenCommit', userId: 1 })] }])
    db.$client.close()
  })
})
