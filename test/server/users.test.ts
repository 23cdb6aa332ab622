import { describe, expect, it } from 'vitest'
import { documentDocName } from '../../schema/index.js'
import { adminPassword, createDocument, login, post, rpc } from '../helpers/accounts.js'
import { openRaw, waitFor } from '../helpers/clients.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { syncUrl } from '../helpers/server.js'

type Row = Record<string, unknown>
/** A refused call's answer on the events socket. */
const forbidden = (message: string) => ({ id: expect.any(Number), success: false, message })
const adminsOnly = forbidden('only administrators may do this')
const ownAccountOnly = forbidden('you may only act on your own account')

describe('user events', () => {
  const setup = useEventsServer()
  const canLogin = async (userName: string, password: string) => (await post(setup.server.url, '/auth/login', { userName, password })).status === 200
  const appUsers = (events: EventsConnection) => events.pushes.filter((push) => push.event === 'appUser').map((push) => push.data as Row)

  it('userCreate: admins create accounts, with a generated password answered once; others are refused', async () => {
    const admin = await setup.connectAdmin()
    const created = await admin.ok<Row>('userCreate', { userName: 'carl', email: 'Carl@Example.test', roles: ['student'] })
    expect(created).toMatchObject({ userName: 'carl', email: 'carl@example.test', emailVerified: true, roles: ['user', 'student'] })
    expect(created).not.toHaveProperty('passwordHash')
    expect(await canLogin('carl', created.initialPassword as string)).toBe(true)
    const chosen = await admin.ok<Row>('userCreate', { userName: 'cleo', email: 'cleo@example.test', password: 'chosen password' })
    expect(chosen).not.toHaveProperty('initialPassword')
    expect(await canLogin('cleo', 'chosen password')).toBe(true)
    expect(await admin.call('userCreate', { userName: 'carl', email: 'other@example.test' })).toEqual(forbidden('user name is taken'))

    const { events } = await setup.connectUser('mallory')
    expect(await events.call('userCreate', { userName: 'sock', email: 'sock@example.test', roles: ['admin'] })).toEqual(adminsOnly)
    expect(await (await setup.connectAdmin()).ok('userCheckExistsByMail', [{ email: 'sock@example.test' }])).toEqual([{ email: 'sock@example.test', exists: false }])
  })

  it('userBulkCreate: imports with progress, maps roles, updates a known e-mail instead of duplicating it; only admins', async () => {
    const admin = await setup.connectAdmin()
    const known = await setup.connectUser('known')
    const answer = await admin.ok<{ createdUsers: Row[]; updatedUsers: Row[]; errors: Row[] }>('userBulkCreate', {
      progressId: 'import-1',
      roleMap: { student: 'student', editingteacher: 'teacher' },
      users: [
        { email: 'stu.one@example.test', firstName: 'Stu', roles: ['student'], extId: 41 },
        { email: 'KNOWN@example.test', firstName: 'Known', extId: '42', roles: ['editingteacher', 'unmapped'] },
        { email: 'taken@example.test', userName: 'known' },
      ],
    })
    expect(answer.createdUsers).toEqual([expect.objectContaining({ userName: 'stu.one', email: 'stu.one@example.test', extId: '41', roles: ['user', 'student'], password: expect.any(String) })])
    expect(answer.updatedUsers).toEqual([expect.objectContaining({ id: known.userId, firstName: 'Known', extId: '42', emailVerified: true, roles: ['user', 'teacher'] })])
    expect(answer.errors).toEqual([{ email: 'taken@example.test', message: 'user name is taken' }])
    expect(await canLogin('stu.one', answer.createdUsers[0]!.password as string)).toBe(true)
    const progress = admin.pushes.filter((push) => push.event === 'progressUpdate').map((push) => push.data)
    expect(progress).toEqual([1, 2, 3].map((current) => ({ id: 'import-1', current, total: 3 })))
    // One account per address: the known one was updated, not copied.
    const everyone = await admin.ok<Row[]>('userGetByRole', { role: 'all' })
    expect(everyone.filter((row) => row.email === 'known@example.test')).toHaveLength(1)
    // Its new role applies to its open socket's next call, and its appUser was pushed again.
    await waitFor('known to get appUser', () => appUsers(known.events).length > 0)
    expect(await known.events.ok<Row[]>('userGetByRole', { role: 'student' })).toEqual([expect.objectContaining({ userName: 'stu.one' })])

    const teacher = await setup.connectUser('tess')
    await admin.ok('userUpdateDetails', { userId: teacher.userId, userData: { roles: ['user', 'teacher'] } })
    expect(await teacher.events.call('userBulkCreate', { users: [{ email: 'x@example.test', roles: ['student'] }], roleMap: { student: 'admin' } })).toEqual(adminsOnly)
    expect(await admin.ok('userCheckExistsByMail', [{ email: 'x@example.test' }])).toEqual([{ email: 'x@example.test', exists: false }])
  })

  it('userBulkCreate takes its role map from the system.users.roleMap setting by default', async () => {
    const admin = await setup.connectAdmin()
    const answer = await admin.ok<{ createdUsers: Row[] }>('userBulkCreate', { users: [{ email: 'ed@example.test', roles: ['editingteacher'] }] })
    expect(answer.createdUsers[0]).toMatchObject({ roles: ['user', 'teacher'] })
    await admin.ok('settingSave', [{ key: 'system.users.roleMap', value: '{"editingteacher":"no-such-role"}' }])
    expect(await admin.call('userBulkCreate', { users: [{ email: 'eva@example.test' }] })).toEqual(forbidden('no role named "no-such-role"'))
  })

  it('userGetByRole: needs the role’s listing right; private columns only with the private-info right', async () => {
    const admin = await setup.connectAdmin()
    const student = await setup.connectUser('sam')
    await admin.ok('userUpdateDetails', { userId: student.userId, userData: { roles: ['user', 'student'] } })
    const teacher = await setup.connectUser('tess')
    await admin.ok('userUpdateDetails', { userId: teacher.userId, userData: { roles: ['user', 'teacher'] } })

    const students = await teacher.events.ok<Row[]>('userGetByRole', { role: 'student' })
    expect(students).toEqual([{ id: student.userId, userName: 'sam', firstName: null, lastName: null, email: 'sam@example.test', extId: null }])
    expect(teacher.events.pushes.find((push) => push.event === 'userByRole')?.data).toEqual({ success: true, users: students })
    expect(await teacher.events.call('userGetByRole', { role: 'all' })).toEqual(forbidden('missing right "backend.socket.user.getUsers.all"'))
    expect(await student.events.call('userGetByRole', { role: 'student' })).toEqual(forbidden('missing right "backend.socket.user.getUsers.student"'))
    expect((await admin.ok<Row[]>('userGetByRole', { role: 'all' })).map((row) => row.userName)).toEqual(['admin', 'sam', 'tess'])
  })

  it('userGetDetails and userGetRight: your own account or, for admins, anyone’s', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    const bob = await setup.connectUser('bob')
    expect(await ann.events.ok('userGetDetails', { userId: ann.userId })).toMatchObject({ id: ann.userId, userName: 'ann', roles: ['user'] })
    expect(await ann.events.ok('userGetDetails', { userId: ann.userId })).not.toHaveProperty('passwordHash')
    expect(await admin.ok('userGetDetails', { userId: ann.userId })).toMatchObject({ userName: 'ann' })
    expect(await bob.events.call('userGetDetails', { userId: ann.userId })).toEqual(ownAccountOnly)

    const rights = await ann.events.ok<Record<string, string[]>>('userGetRight', { userId: ann.userId })
    expect(Object.values(rights).flat()).toContain('frontend.dashboard.home.view')
    expect(ann.events.pushes.find((push) => push.event === 'userRight')?.data).toEqual(rights)
    expect(await admin.ok('userGetRight', { userId: ann.userId })).toEqual(rights)
    expect(await bob.events.call('userGetRight', { userId: ann.userId })).toEqual(ownAccountOnly)
  })

  it('userUpdateDetails: you change your names and e-mail, never your roles; admins change anyone’s, roles too', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    const bob = await setup.connectUser('bob')
    expect(await ann.events.ok('userUpdateDetails', { userId: ann.userId, userData: { firstName: 'Ann', email: 'ann.new@example.test' } })).toMatchObject({
      firstName: 'Ann',
      email: 'ann.new@example.test',
      emailVerified: false,
      roles: ['user'],
    })
    // Self-promotion to admin, the original's hole, is refused and changes nothing.
    expect(await ann.events.call('userUpdateDetails', { userId: ann.userId, userData: { roles: ['user', 'admin'] } })).toEqual(forbidden('only administrators may change roles'))
    expect(await bob.events.call('userUpdateDetails', { userId: ann.userId, userData: { firstName: 'Mallory' } })).toEqual(forbidden("only administrators may change another user's details"))
    expect(await bob.events.call('userUpdateDetails', { userId: bob.userId, userData: { email: 'ann.new@example.test' } })).toEqual(forbidden('email is already registered'))
    expect(await ann.events.ok('userGetDetails', { userId: ann.userId })).toMatchObject({ firstName: 'Ann', roles: ['user'] })
    expect(await ann.events.call('userGetAllRights')).toEqual(adminsOnly)

    // An admin makes Ann an admin: her open socket gets appUser again, and her next call may do what admins do.
    expect(await admin.ok('userUpdateDetails', { userId: ann.userId, userData: { roles: ['user', 'admin'] } })).toMatchObject({ roles: ['user', 'admin'] })
    await waitFor('ann to get appUser with the admin role', () => appUsers(ann.events).some((row) => row.isAdmin === true))
    expect(appUsers(ann.events).at(-1)).toMatchObject({ roles: [expect.objectContaining({ name: 'admin' }), expect.objectContaining({ name: 'user' })] })
    expect(await ann.events.call('userGetAllRights')).toMatchObject({ success: true })
  })

  it('userUpdateDetails never takes the admin role from the last administrator', async () => {
    const admin = await setup.connectAdmin()
    const [onlyAdmin] = await admin.ok<Row[]>('userGetByRole', { role: 'admin' })
    expect(await admin.call('userUpdateDetails', { userId: onlyAdmin!.id, userData: { roles: ['user'] } })).toEqual(forbidden('the last administrator cannot lose the admin role'))
    expect(await admin.call('userGetAllRights')).toMatchObject({ success: true })
  })

  it('takes a role’s document access away from open sync sockets at once', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    const tess = await setup.connectUser('tess')
    const documentId = await createDocument(setup.server.url, ann.token, { name: 'private notes', public: false })
    const url = `${syncUrl(setup.server)}/${documentDocName(documentId)}?token=${tess.token}`
    expect((await openRaw(url).closed).code).toBe(4403)

    await admin.ok('userUpdateDetails', { userId: tess.userId, userData: { roles: ['user', 'teacher'] } })
    const reading = openRaw(url)
    await reading.opened
    await admin.ok('userUpdateDetails', { userId: tess.userId, userData: { roles: ['user'] } })
    expect(await reading.closed).toEqual({ code: 4403, reason: `access to "${documentDocName(documentId)}" was withdrawn` })
  })

  it('userResetPwd: your own with the old password, anyone’s for admins (who sign its sessions out), nobody else’s', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    const bob = await setup.connectUser('bob')
    expect(await ann.events.call('userResetPwd', { userId: ann.userId, password: 'new ann password' })).toEqual(forbidden('the old password is wrong'))
    expect(await ann.events.call('userResetPwd', { userId: ann.userId, password: 'new ann password', oldPassword: 'not it' })).toEqual(forbidden('the old password is wrong'))
    expect(await ann.events.ok('userResetPwd', { userId: ann.userId, password: 'new ann password', oldPassword: 'ann-password' })).toBeNull()
    expect(await canLogin('ann', 'new ann password')).toBe(true)

    // The original let anyone reset anyone's password; with or without an old one, it is refused.
    expect(await bob.events.call('userResetPwd', { userId: ann.userId, password: 'owned by bob' })).toEqual(adminsOnly)
    expect(await bob.events.call('userResetPwd', { userId: ann.userId, password: 'owned by bob', oldPassword: 'new ann password' })).toEqual(adminsOnly)
    expect(await canLogin('ann', 'owned by bob')).toBe(false)

    const closed = new Promise<{ code: number }>((resolve) => ann.events.ws.once('close', (code) => resolve({ code })))
    expect(await admin.ok('userResetPwd', { userId: ann.userId, password: 'set by the admin' })).toBeNull()
    expect(await closed).toEqual({ code: 4401 })
    expect(ann.events.pushes.at(-1)).toEqual({ event: 'logout', data: null })
    expect(await canLogin('ann', 'set by the admin')).toBe(true)
  })

  it('userResetPwd counts wrong old passwords against the account’s failed-login budget', async () => {
    const ann = await setup.connectUser('ann')
    // The test server allows 5 failures per account and window (FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT's default).
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await ann.events.call('userResetPwd', { userId: ann.userId, password: 'guessed password', oldPassword: `guess ${attempt}` })).toEqual(forbidden('the old password is wrong'))
    }
    const limited = forbidden('too many failed logins; try again later')
    expect(await ann.events.call('userResetPwd', { userId: ann.userId, password: 'guessed password', oldPassword: 'ann-password' })).toEqual(limited)
    // Logins of the account are held back too, even with the right password.
    expect((await post(setup.server.url, '/auth/login', { userName: 'ann', password: 'ann-password' })).status).toBe(429)
  })

  it('sends logout before closing an events socket whose session ended', async () => {
    const ann = await setup.connectUser('ann')
    const closed = new Promise<number>((resolve) => ann.events.ws.once('close', resolve))
    await post(setup.server.url, '/auth/logout', {}, ann.token)
    expect(await closed).toBe(4401)
    expect(ann.events.pushes.map((push) => push.event)).toEqual(['logout'])
  })

  it('userConsentUpdate: the caller’s own consent, acceptedAt set once', async () => {
    const ann = await setup.connectUser('ann')
    const first = await ann.events.ok<Row>('userConsentUpdate', { acceptTerms: true, acceptStats: true, acceptDataSharing: false })
    expect(first).toMatchObject({ id: ann.userId, acceptStats: true, acceptDataSharing: false })
    const again = await ann.events.ok<Row>('userConsentUpdate', { acceptTerms: true, acceptStats: false, acceptDataSharing: true })
    expect(again).toMatchObject({ acceptStats: false, acceptDataSharing: true, acceptedAt: first.acceptedAt })
    await waitFor('appUser with the new consent', () => appUsers(ann.events).some((row) => row.acceptDataSharing === true))
    // There is no other account to name, and without a login there is no caller.
    expect(await ann.events.call('userConsentUpdate', { userId: 1, acceptTerms: true, acceptStats: true, acceptDataSharing: true })).toMatchObject({ success: false })
    expect((await rpc(setup.server.url, 'userConsentUpdate', { acceptTerms: true, acceptStats: true, acceptDataSharing: true })).status).toBe(401)
    const admin = await login(setup.server.url, 'admin', adminPassword)
    expect((await rpc<Row>(setup.server.url, 'userGetDetails', { userId: 1 }, admin)).body).toMatchObject({ data: { acceptStats: false } })
  })

  it('userCheckExistsByMail: admins only, so nobody else can find out which addresses have accounts', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    expect(await admin.ok('userCheckExistsByMail', [{ email: 'ANN@example.test', note: 'row 1' }, { email: 'nobody@example.test' }])).toEqual([
      { email: 'ANN@example.test', note: 'row 1', exists: true },
      { email: 'nobody@example.test', exists: false },
    ])
    expect(await ann.events.call('userCheckExistsByMail', [{ email: 'ann@example.test' }])).toEqual(adminsOnly)
  })

  it('userGetRoleBasedRights and userGetAllRights: admins only', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    const roles = (await admin.ok<{ appSystemRoles: Row[] }>('appInit')).appSystemRoles
    const teacherId = roles.find((role) => role.name === 'teacher')!.id
    const teacherRights = await admin.ok<Row[]>('userGetRoleBasedRights', { roleId: teacherId })
    expect(teacherRights.map((row) => row.userRightName)).toContain('backend.socket.user.getUsers.student')
    expect((await admin.ok<Row[]>('userGetAllRights')).map((row) => row.name)).toContain('backend.socket.user.getUsers.all')
    expect(await ann.events.call('userGetRoleBasedRights', { roleId: teacherId })).toEqual(adminsOnly)
    expect(await ann.events.call('userGetAllRights')).toEqual(adminsOnly)
    expect(await admin.call('userGetRoleBasedRights', { roleId: 999 })).toEqual(forbidden('role 999 does not exist'))
  })

  it('userAssignRoleRights: admins grant and take rights, which apply to the holders’ next call and reach their sockets', async () => {
    const admin = await setup.connectAdmin()
    const ann = await setup.connectUser('ann')
    await admin.ok('subscribeAppData', { table: 'role_right_matching' })
    const userRoleId = (await admin.ok<{ appSystemRoles: Row[] }>('appInit')).appSystemRoles.find((role) => role.name === 'user')!.id
    const listAll = 'backend.socket.user.getUsers.all'
    expect(await ann.events.call('userGetByRole', { role: 'all' })).toEqual(forbidden(`missing right "${listAll}"`))
    expect(await ann.events.call('userAssignRoleRights', { roleId: userRoleId, newRights: [listAll] })).toEqual(adminsOnly)

    const granted = await admin.ok<{ rights: string[] }>('userAssignRoleRights', { roleId: userRoleId, newRights: [listAll] })
    expect(granted.rights).toContain(listAll)
    await admin.waitForRow('role_right_matching', 'the new grant', (row) => row.userRightName === listAll && row.deleted === false)
    await waitFor('ann to get appUser with the right', () => appUsers(ann.events).some((row) => (row.rights as string[]).includes(listAll)))
    expect(await ann.events.ok<Row[]>('userGetByRole', { role: 'all' })).toHaveLength(2)

    await admin.ok('userAssignRoleRights', { roleId: userRoleId, deletedRights: [listAll] })
    await admin.waitForRow('role_right_matching', 'the grant taken back', (row) => row.userRightName === listAll && row.deleted === true)
    expect(await ann.events.call('userGetByRole', { role: 'all' })).toEqual(forbidden(`missing right "${listAll}"`))
    expect(await admin.call('userAssignRoleRights', { roleId: userRoleId, newRights: ['made.up'] })).toEqual(forbidden('no right named "made.up"'))
  })
})
