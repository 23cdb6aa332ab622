import { and, asc, eq, inArray, ne } from 'drizzle-orm'
import { rpcInputs, userPrivateInfoRight } from '../../schema/index.js'
import { roleRightMatching, user, userRight, userRole, userRoleMatching } from '../../schema/db/index.js'
import { type AccountMails, accountTokens, hashPassword, insertAccount, type LoginLimiter, newPassword, roleIdsByName, type SessionStore, settingIsOn, verifyPassword, withoutSecrets } from '../auth/index.js'
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import type { AppUserPushes } from './AppUserPushes.js'
import { bulkCreateUsers } from './bulkCreate.js'
import { adminRoleId, keepAnAdministrator, replaceRoles, roleNamesOf } from './roles.js'

/** What the user events need besides the RPC context. */
export interface UserRpcDeps {
  pushes: AppUserPushes
  sessions: SessionStore
  mails: AccountMails
  /** Wrong old passwords spend the account's failed-login budget, so a session left open cannot be used to guess the password. */
  limiter: LoginLimiter
}

/** The prefix of the rights that let a caller list the users of one role (`…getUsers.student`, `…getUsers.all`). */
const listUsersRight = 'backend.socket.user.getUsers.'

async function liveUser(ctx: RpcContext, userId: number) {
  const [row] = await ctx.db
    .select()
    .from(user)
    .where(and(eq(user.id, userId), eq(user.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`user ${userId} does not exist`)
  return row
}

async function liveRole(ctx: RpcContext, roleId: number) {
  const [row] = await ctx.db
    .select()
    .from(userRole)
    .where(and(eq(userRole.id, roleId), eq(userRole.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`role ${roleId} does not exist`)
  return row
}

/** The rights of `userId` by role id, as `{roleId: [rightNames]}`. */
async function rightsByRole(ctx: RpcContext, userId: number): Promise<Record<number, string[]>> {
  const rows = await ctx.db
    .select({ roleId: userRoleMatching.userRoleId, right: roleRightMatching.userRightName })
    .from(userRoleMatching)
    .innerJoin(userRole, eq(userRole.id, userRoleMatching.userRoleId))
    .leftJoin(roleRightMatching, and(eq(roleRightMatching.userRoleId, userRoleMatching.userRoleId), eq(roleRightMatching.deleted, false)))
    .where(and(eq(userRoleMatching.userId, userId), eq(userRoleMatching.deleted, false), eq(userRole.deleted, false)))
    .orderBy(asc(userRoleMatching.userRoleId), asc(roleRightMatching.userRightName))
  const byRole: Record<number, string[]> = {}
  for (const { roleId, right } of rows) (byRole[roleId] ??= []).push(...(right ? [right] : []))
  return byRole
}

/**
 * The user events: accounts (create, import, details, passwords, consent), who holds which role,
 * and which rights a role holds. A change of roles or rights applies to the next call of everyone
 * concerned (permissions are read per call) and to open sockets at once: the written rows go
 * through the ChangeSet, whose publish re-checks live access, and the accounts concerned get
 * `appUser` again.
 */
export function registerUserEvents(rpc: RpcRegistry, { pushes, sessions, mails, limiter }: UserRpcDeps): void {
  rpc.define('userCreate', rpcInputs.userCreate, async ({ roles, password, ...account }, ctx) => {
    const initialPassword = password ? undefined : newPassword()
    // Hashed before the write turn, which no scrypt should hold up.
    const passwordHash = await hashPassword(password ?? initialPassword!)
    const names = [...new Set(['user', ...(roles ?? [])])]
    const created = await ctx.write(() => insertAccount(ctx.db, { ...account, passwordHash, emailVerified: true }, names))
    ctx.changes.record('user', created)
    return { ...withoutSecrets(created), roles: names, ...(initialPassword ? { initialPassword } : {}) }
  }, { access: 'admin', pushes: ['userRefresh'] })

  rpc.define('userBulkCreate', rpcInputs.userBulkCreate, (input, ctx) => bulkCreateUsers(ctx, input, pushes), { access: 'admin', pushes: ['progressUpdate', 'userRefresh', 'user_role_matchingRefresh'] })

  rpc.define('userGetByRole', rpcInputs.userGetByRole, async ({ role }, ctx) => {
    ctx.can.requireRight(listUsersRight + role)
    const columns = {
      id: user.id,
      userName: user.userName,
      // Names, e-mail and external id only for holders of the private-info right, as the user table shows them.
      ...(ctx.can.hasRight(userPrivateInfoRight) ? { firstName: user.firstName, lastName: user.lastName, email: user.email, extId: user.extId } : {}),
    }
    let users
    if (role === 'all') {
      users = await ctx.db.select(columns).from(user).where(eq(user.deleted, false)).orderBy(user.id)
    } else {
      const [target] = await ctx.db
        .select({ id: userRole.id })
        .from(userRole)
        .where(and(eq(userRole.name, role), eq(userRole.deleted, false)))
        .limit(1)
      if (!target) throw new NotFoundError(`no role named "${role}"`)
      users = await ctx.db
        .select(columns)
        .from(user)
        .innerJoin(userRoleMatching, eq(userRoleMatching.userId, user.id))
        .where(and(eq(userRoleMatching.userRoleId, target.id), eq(userRoleMatching.deleted, false), eq(user.deleted, false)))
        .orderBy(user.id)
    }
    ctx.emit('userByRole', { success: true, users })
    return users
  }, { scope: 'holders of the right backend.socket.user.getUsers.<role>; private fields with the user private-info right', pushes: ['userByRole'] })

  rpc.define('userGetDetails', rpcInputs.userGetDetails, async ({ userId }, ctx) => {
    ctx.can.requireUserAccess(userId)
    const row = await liveUser(ctx, userId)
    return { ...withoutSecrets(row), roles: await roleNamesOf(ctx.db, userId) }
  }, { scope: 'yourself; admins: anyone' })

  rpc.define('userGetRight', rpcInputs.userGetRight, async ({ userId }, ctx) => {
    ctx.can.requireUserAccess(userId)
    await liveUser(ctx, userId)
    const rights = await rightsByRole(ctx, userId)
    ctx.emit('userRight', rights)
    return rights
  }, { scope: 'yourself; admins: anyone', pushes: ['userRight'] })

  rpc.define(
    'userUpdateDetails',
    rpcInputs.userUpdateDetails,
    async ({ userId, userData: { roles, ...details } }, ctx) => {
      if (userId !== ctx.user.id && !ctx.can.isAdmin()) throw new ForbiddenError("only administrators may change another user's details")
      if (roles !== undefined && !ctx.can.isAdmin()) throw new ForbiddenError('only administrators may change roles')
      const previous = await liveUser(ctx, userId)
      const email = details.email?.toLowerCase()
      const emailChanged = email !== undefined && email !== previous.email
      if (emailChanged) {
        const [taken] = await ctx.db.select({ id: user.id }).from(user).where(and(eq(user.email, email), ne(user.id, userId))).limit(1)
        if (taken) throw new ConflictError('email is already registered')
        // Links mailed to the old address no longer act on the account.
        await accountTokens.withdraw(ctx.db, userId, new Date())
      }
      const columns = Object.fromEntries(Object.entries({ firstName: details.firstName, lastName: details.lastName }).filter(([, value]) => value !== undefined))
      const changes = { ...columns, ...(emailChanged ? { email, emailVerified: false } : {}) }
      let row = previous
      if (Object.keys(changes).length > 0) {
        ;[row] = (await ctx.db.update(user).set(changes).where(eq(user.id, userId)).returning()) as [typeof previous]
        ctx.changes.record('user', row, previous)
      }
      if (roles !== undefined) {
        const roleIds = await roleIdsByName(ctx.db, roles)
        const admin = await adminRoleId(ctx.db)
        if (!roleIds.includes(admin) && (await roleNamesOf(ctx.db, userId)).includes('admin')) await keepAnAdministrator(ctx.db, userId)
        for (const write of await replaceRoles(ctx.db, userId, roleIds)) ctx.changes.record('user_role_matching', write.row, write.previous)
      }
      ctx.afterCommit(async () => {
        await pushes.to([userId])
        if (emailChanged && (await settingIsOn(ctx.db, 'app.register.emailVerification'))) mails.sendVerification(row)
      })
      return { ...withoutSecrets(row), roles: roles ?? (await roleNamesOf(ctx.db, userId)) }
    },
    { transaction: true, scope: 'yourself, not your roles; admins: anyone, roles too', pushes: ['userRefresh', 'user_role_matchingRefresh', 'appUser'] },
  )

  rpc.define('userResetPwd', rpcInputs.userResetPwd, async ({ userId, password, oldPassword }, ctx) => {
    const own = userId === ctx.user.id
    if (!own) ctx.can.requireAdmin()
    const target = await liveUser(ctx, userId)
    // Even an admin gives the old password for their own account: a session left open is not enough to take it over.
    if (own) {
      const budget = `user:${userId}`
      limiter.checkAccount(budget)
      if (!(oldPassword !== undefined && (await verifyPassword(oldPassword, target.passwordHash)))) {
        limiter.failAccount(budget)
        throw new ForbiddenError('the old password is wrong')
      }
    }
    const passwordHash = await hashPassword(password)
    await ctx.write(async () => {
      await ctx.db.update(user).set({ passwordHash }).where(eq(user.id, userId))
      // A password set by an administrator signs out whoever used the old one.
      if (!own) await sessions.revokeAllWithin(userId)
    })
    if (!own) sessions.ended(userId)
    return null
  }, { scope: 'yourself, with the old password; admins: anyone' })

  rpc.define(
    'userConsentUpdate',
    rpcInputs.userConsentUpdate,
    async (consent, ctx) => {
      const previous = await liveUser(ctx, ctx.user.id)
      const [row] = await ctx.db
        .update(user)
        .set({ ...consent, acceptedAt: previous.acceptedAt ?? (consent.acceptTerms ? new Date() : null) })
        .where(eq(user.id, ctx.user.id))
        .returning()
      ctx.changes.record('user', row!, previous)
      ctx.afterCommit(() => pushes.to([ctx.user.id]))
      return withoutSecrets(row!)
    },
    { transaction: true, scope: 'yourself', pushes: ['userRefresh', 'appUser'] },
  )

  // Admins only: anyone else could find out which addresses have accounts.
  rpc.define('userCheckExistsByMail', rpcInputs.userCheckExistsByMail, async (entries, ctx) => {
    const emails = [...new Set(entries.map((entry) => entry.email.toLowerCase()))]
    const known = new Set<string>()
    for (let start = 0; start < emails.length; start += 500) {
      for (const row of await ctx.db.select({ email: user.email }).from(user).where(inArray(user.email, emails.slice(start, start + 500)))) known.add(row.email)
    }
    return entries.map((entry) => ({ ...entry, exists: known.has(entry.email.toLowerCase()) }))
  }, { access: 'admin' })

  rpc.define('userGetRoleBasedRights', rpcInputs.userGetRoleBasedRights, async ({ roleId }, ctx) => {
    await liveRole(ctx, roleId)
    return await ctx.db
      .select()
      .from(roleRightMatching)
      .where(and(eq(roleRightMatching.userRoleId, roleId), eq(roleRightMatching.deleted, false)))
      .orderBy(roleRightMatching.userRightName)
  }, { access: 'admin' })

  rpc.define('userGetAllRights', rpcInputs.userGetAllRights, async (_input, ctx) => {
    return await ctx.db.select().from(userRight).where(eq(userRight.deleted, false)).orderBy(userRight.name)
  }, { access: 'admin' })

  rpc.define(
    'userAssignRoleRights',
    rpcInputs.userAssignRoleRights,
    async ({ roleId, newRights, deletedRights }, ctx) => {
      await liveRole(ctx, roleId)
      const both = newRights.filter((name) => deletedRights.includes(name))
      if (both.length > 0) throw new InvalidInputError(`invalid input: ${both.join(', ')} both in newRights and deletedRights`)
      const named = [...new Set([...newRights, ...deletedRights])]
      const known = named.length === 0 ? [] : await ctx.db.select({ name: userRight.name }).from(userRight).where(and(inArray(userRight.name, named), eq(userRight.deleted, false)))
      const unknown = named.filter((name) => !known.some((right) => right.name === name))
      if (unknown.length > 0) throw new InvalidInputError(`no right named ${unknown.map((name) => `"${name}"`).join(', ')}`)
      const matchings = named.length === 0 ? [] : await ctx.db.select().from(roleRightMatching).where(and(eq(roleRightMatching.userRoleId, roleId), inArray(roleRightMatching.userRightName, named)))
      const now = new Date()
      for (const name of named) {
        const previous = matchings.find((matching) => matching.userRightName === name) ?? null
        const granted = newRights.includes(name)
        if (previous && previous.deleted === !granted) continue
        const [row] = granted
          ? await ctx.db
              .insert(roleRightMatching)
              .values({ userRoleId: roleId, userRightName: name })
              .onConflictDoUpdate({ target: [roleRightMatching.userRoleId, roleRightMatching.userRightName], set: { deleted: false, deletedAt: null } })
              .returning()
          : await ctx.db
              .update(roleRightMatching)
              .set({ deleted: true, deletedAt: now })
              .where(and(eq(roleRightMatching.userRoleId, roleId), eq(roleRightMatching.userRightName, name)))
              .returning()
        // Nothing to take away when the role never held the right.
        if (row) ctx.changes.record('role_right_matching', row, previous)
      }
      ctx.afterCommit(() => pushes.toHoldersOf(roleId))
      const rights = await ctx.db
        .select({ name: roleRightMatching.userRightName })
        .from(roleRightMatching)
        .where(and(eq(roleRightMatching.userRoleId, roleId), eq(roleRightMatching.deleted, false)))
        .orderBy(roleRightMatching.userRightName)
      return { roleId, rights: rights.map((right) => right.name) }
    },
    { transaction: true, access: 'admin', pushes: ['role_right_matchingRefresh', 'appUser'] },
  )
}
