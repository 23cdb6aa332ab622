import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { studiesFullAccessRight } from '../../schema/index.js'
import { document, type FolioDatabase, openDatabase, userRole, userRoleMatching } from '../../schema/db/index.js'
import { Permissions } from '../../server/access/index.js'
import { bootstrapAccounts } from '../../server/auth/index.js'
import { createAccount } from '../../server/auth/accounts.js'
import { ForbiddenError, NotFoundError } from '../../server/errors.js'
import { tempDir } from '../helpers/server.js'

describe('permission helpers', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: FolioDatabase
  const people: Record<'admin' | 'owner' | 'other' | 'teacher', { id: number; userName: string }> = {} as never
  let privateDoc: number
  let publicDoc: number
  const as = (who: keyof typeof people) => Permissions.load(db, people[who])

  beforeEach(async () => {
    tmp = tempDir()
    db = openDatabase(tmp.dbPath)
    await bootstrapAccounts(db, 'admin-password')
    const account = async (userName: string, roles: string[]) => {
      const created = await createAccount(db, { userName, email: `${userName}@example.test`, password: 'long enough' }, roles)
      return { id: created.id, userName }
    }
    people.admin = { id: 1, userName: 'admin' }
    people.owner = await account('owner', ['user'])
    people.other = await account('other', ['user'])
    people.teacher = await account('teacher', ['user', 'teacher'])
    privateDoc = (await db.insert(document).values({ name: 'private', userId: people.owner.id }).returning())[0]!.id
    publicDoc = (await db.insert(document).values({ name: 'public', userId: people.owner.id, public: true }).returning())[0]!.id
  })
  afterEach(() => {
    db.$client.close()
    tmp.remove()
  })

  it('isAdmin holds for the admin role only', async () => {
    expect((await as('admin')).isAdmin()).toBe(true)
    const owner = await as('owner')
    expect(owner.isAdmin()).toBe(false)
    expect(() => owner.requireAdmin()).toThrow(ForbiddenError)
  })

  it('hasRight follows role grants, and admins hold every right', async () => {
    const [teacher, owner, admin] = [await as('teacher'), await as('owner'), await as('admin')]
    expect(teacher.hasRight(studiesFullAccessRight)).toBe(true)
    expect(owner.hasRight(studiesFullAccessRight)).toBe(false)
    expect(owner.hasRight('frontend.dashboard.documents.view')).toBe(true)
    expect(admin.hasRight('anything.at.all')).toBe(true)
    expect(() => owner.requireRight(studiesFullAccessRight)).toThrow(`missing right "${studiesFullAccessRight}"`)
  })

  it('a deleted role grants neither its name nor its rights', async () => {
    expect((await as('teacher')).hasRight(studiesFullAccessRight)).toBe(true)
    await db.update(userRole).set({ deleted: true }).where(eq(userRole.name, 'teacher'))
    const teacher = await as('teacher')
    expect(teacher.roles().has('teacher')).toBe(false)
    expect(teacher.hasRight(studiesFullAccessRight)).toBe(false)
  })

  it('checkUserAccess allows oneself and admins', async () => {
    const [owner, other, admin] = [await as('owner'), await as('other'), await as('admin')]
    expect(owner.checkUserAccess(people.owner.id)).toBe(true)
    expect(owner.checkUserAccess(people.other.id)).toBe(false)
    expect(admin.checkUserAccess(people.other.id)).toBe(true)
    expect(() => other.requireUserAccess(people.owner.id)).toThrow(ForbiddenError)
  })

  it('checkDocumentAccess allows public documents, owners, admins and the full-access right', async () => {
    const [owner, other, admin, teacher] = [await as('owner'), await as('other'), await as('admin'), await as('teacher')]
    expect(await owner.checkDocumentAccess(privateDoc)).toBe(true)
    expect(await other.checkDocumentAccess(privateDoc)).toBe(false)
    expect(await other.checkDocumentAccess(publicDoc)).toBe(true)
    expect(await admin.checkDocumentAccess(privateDoc)).toBe(true)
    expect(await teacher.checkDocumentAccess(privateDoc)).toBe(true)
    await expect(other.requireDocumentAccess(privateDoc)).rejects.toThrow(ForbiddenError)
    await expect(other.requireDocumentAccess(999)).rejects.toThrow(NotFoundError)
    await db.update(document).set({ deleted: true }).where(eq(document.id, publicDoc))
    expect(await other.checkDocumentAccess(publicDoc)).toBe(false)
  })

  it('reads roles afresh for each call: a role granted now counts at the next call', async () => {
    expect(await (await as('other')).checkDocumentAccess(privateDoc)).toBe(false)
    const [teacherRole] = await db.select().from(userRole).where(eq(userRole.name, 'teacher'))
    await db.insert(userRoleMatching).values({ userId: people.other.id, userRoleId: teacherRole!.id })
    expect(await (await as('other')).checkDocumentAccess(privateDoc)).toBe(true)
  })
})
