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
  const as = (who: keyof typeof people) => new Permissions(db, people[who])

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
    privateDoc = db.insert(document).values({ name: 'private', userId: people.owner.id }).returning().get().id
    publicDoc = db.insert(document).values({ name: 'public', userId: people.owner.id, public: true }).returning().get().id
  })
  afterEach(() => {
    db.$client.close()
    tmp.remove()
  })

  it('isAdmin holds for the admin role only', () => {
    expect(as('admin').isAdmin()).toBe(true)
    expect(as('owner').isAdmin()).toBe(false)
    expect(() => as('owner').requireAdmin()).toThrow(ForbiddenError)
  })

  it('hasRight follows role grants, and admins hold every right', () => {
    expect(as('teacher').hasRight(studiesFullAccessRight)).toBe(true)
    expect(as('owner').hasRight(studiesFullAccessRight)).toBe(false)
    expect(as('owner').hasRight('frontend.dashboard.documents.view')).toBe(true)
    expect(as('admin').hasRight('anything.at.all')).toBe(true)
    expect(() => as('owner').requireRight(studiesFullAccessRight)).toThrow(`missing right "${studiesFullAccessRight}"`)
  })

  it('checkUserAccess allows oneself and admins', () => {
    expect(as('owner').checkUserAccess(people.owner.id)).toBe(true)
    expect(as('owner').checkUserAccess(people.other.id)).toBe(false)
    expect(as('admin').checkUserAccess(people.other.id)).toBe(true)
    expect(() => as('other').requireUserAccess(people.owner.id)).toThrow(ForbiddenError)
  })

  it('checkDocumentAccess allows public documents, owners, admins and the full-access right', () => {
    expect(as('owner').checkDocumentAccess(privateDoc)).toBe(true)
    expect(as('other').checkDocumentAccess(privateDoc)).toBe(false)
    expect(as('other').checkDocumentAccess(publicDoc)).toBe(true)
    expect(as('admin').checkDocumentAccess(privateDoc)).toBe(true)
    expect(as('teacher').checkDocumentAccess(privateDoc)).toBe(true)
    expect(() => as('other').requireDocumentAccess(privateDoc)).toThrow(ForbiddenError)
    expect(() => as('other').requireDocumentAccess(999)).toThrow(NotFoundError)
    db.update(document).set({ deleted: true }).where(eq(document.id, publicDoc)).run()
    expect(as('other').checkDocumentAccess(publicDoc)).toBe(false)
  })

  it('reads roles afresh for each call: a role granted now counts at the next check', () => {
    expect(as('other').checkDocumentAccess(privateDoc)).toBe(false)
    const teacherRole = db.select().from(userRole).where(eq(userRole.name, 'teacher')).get()!
    db.insert(userRoleMatching).values({ userId: people.other.id, userRoleId: teacherRole.id }).run()
    expect(as('other').checkDocumentAccess(privateDoc)).toBe(true)
  })
})
