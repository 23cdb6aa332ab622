import { and, eq, inArray } from 'drizzle-orm'
import type { ImportedUser } from '../../schema/index.js'
import { user } from '../../schema/db/index.js'
import { type HashedAccount, hashPassword, insertAccount, newPassword, roleIdsByName, withoutSecrets } from '../auth/index.js'
import { FolioError, InvalidInputError } from '../errors.js'
import type { RpcContext } from '../rpc/index.js'
import { getSetting } from '../settings/index.js'
import type { AppUserPushes } from './AppUserPushes.js'
import { adminRoleId, replaceRoles, rolesOf } from './roles.js'
import { freeUserName } from './userNames.js'

/** Hashes at once: scrypt runs on libuv's thread pool, which has four threads unless UV_THREADPOOL_SIZE says otherwise. */
const passwordHashConcurrency = 4
const roleMapSetting = 'system.users.roleMap'
/** Addresses looked up per query, well under SQLite's limit of bound parameters. */
const lookupChunk = 500

/** A role map as the setting holds it: external role name -> Folio role name. */
async function configuredRoleMap(ctx: RpcContext): Promise<Record<string, string>> {
  const text = await getSetting(ctx.db, roleMapSetting)
  try {
    const map = JSON.parse(text ?? '{}') as unknown
    if (map && typeof map === 'object' && !Array.isArray(map) && Object.values(map).every((role) => typeof role === 'string')) return map as Record<string, string>
  } catch {
    // Answered below, with what to fix.
  }
  throw new InvalidInputError(`the ${roleMapSetting} setting is not a JSON object of role names; fix it or send roleMap`)
}

/** Runs `work` over `items` with at most `limit` running at once; the promises come back in the items' order. */
function limited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R>[] {
  let running = 0
  const waiting: (() => void)[] = []
  return items.map(async (item) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await work(item)
    } finally {
      running--
      waiting.shift()?.()
    }
  })
}

export interface BulkCreateInput {
  users: ImportedUser[]
  roleMap?: Record<string, string> | undefined
  progressId?: string | undefined
}

/**
 * `userBulkCreate`: an import of accounts, each in a write transaction of its own, so one bad
 * entry (a taken user name) is reported in `errors` and the others still go in. A new e-mail
 * makes an account with a generated password (answered once, never stored); a known one updates
 * that account: names, external id, a verified address, and its roles set to the mapped ones
 * (an import never takes the admin role away). Every account has the `user` role. After each
 * entry the caller gets `progressUpdate {id, current, total}`; at the end the updated accounts get `appUser` again.
 */
export async function bulkCreateUsers(ctx: RpcContext, { users, roleMap, progressId }: BulkCreateInput, pushes: AppUserPushes) {
  const map = roleMap ?? (await configuredRoleMap(ctx))
  const mappedNames = [...new Set(Object.values(map))]
  const roleIds = new Map((await roleIdsByName(ctx.db, ['user', ...mappedNames])).map((id, index) => [['user', ...mappedNames][index]!, id]))
  const admin = await adminRoleId(ctx.db)
  const rolesFor = (entry: ImportedUser) => [...new Set(['user', ...(entry.roles ?? []).flatMap((external) => (map[external] ? [map[external]] : []))])]

  // Hashes for the accounts that look new start ahead of the writes, a few at a time; an address
  // that turns out to exist by its write (the same e-mail twice) leaves its hash unused.
  const emails = users.map((entry) => entry.email.toLowerCase())
  const known = new Set<string>()
  for (let start = 0; start < emails.length; start += lookupChunk) {
    const rows = await ctx.db
      .select({ email: user.email })
      .from(user)
      .where(and(inArray(user.email, emails.slice(start, start + lookupChunk)), eq(user.deleted, false)))
    for (const row of rows) known.add(row.email)
  }
  const credentials = limited(emails, passwordHashConcurrency, async (email) => (known.has(email) ? null : await newCredential()))

  const createdUsers: unknown[] = []
  const updatedUsers: ({ id: number } & Record<string, unknown>)[] = []
  const errors: { email: string; message: string }[] = []
  for (const [index, entry] of users.entries()) {
    const credential = await credentials[index]!
    try {
      await ctx.write(async () => {
        const email = entry.email.toLowerCase()
        const [existing] = await ctx.db
          .select()
          .from(user)
          .where(and(eq(user.email, email), eq(user.deleted, false)))
          .limit(1)
        const names = rolesFor(entry)
        if (existing) {
          const [row] = await ctx.db
            .update(user)
            .set({ firstName: entry.firstName ?? existing.firstName, lastName: entry.lastName ?? existing.lastName, extId: entry.extId ?? existing.extId, emailVerified: true })
            .where(eq(user.id, existing.id))
            .returning()
          const hadAdmin = (await rolesOf(ctx.db, [existing.id])).get(existing.id)!.some((role) => role.id === admin)
          const wanted = [...names.map((name) => roleIds.get(name)!), ...(hadAdmin ? [admin] : [])]
          ctx.changes.record('user', row!, existing)
          for (const write of await replaceRoles(ctx.db, existing.id, wanted)) ctx.changes.record('user_role_matching', write.row, write.previous)
          updatedUsers.push({ ...withoutSecrets(row!), roles: names })
          return
        }
        // Only an account deleted since the look-ahead has no hash yet.
        const { password, passwordHash } = credential ?? (await newCredential())
        const { roles: _external, ...columns } = entry
        const account: HashedAccount = { ...columns, email, userName: entry.userName ?? (await freeUserName(ctx.db, email)), passwordHash, emailVerified: true }
        const row = await insertAccount(ctx.db, account, names)
        ctx.changes.record('user', row)
        createdUsers.push({ ...withoutSecrets(row), roles: names, password })
      })
    } catch (error) {
      // A refusal of this entry (a taken user name) is reported; anything else (shutdown) ends the import.
      if (!(error instanceof FolioError)) throw error
      errors.push({ email: entry.email, message: error.message })
    }
    ctx.emit('progressUpdate', { id: progressId ?? null, current: index + 1, total: users.length })
  }
  // Updated accounts may have new roles: their open sockets hear of it as the other role changes do.
  ctx.afterCommit(() => pushes.to(updatedUsers.map((row) => row.id)))
  return { createdUsers, updatedUsers, errors }
}

async function newCredential(): Promise<{ password: string; passwordHash: string }> {
  const password = newPassword()
  return { password, passwordHash: await hashPassword(password) }
}
