import { and, eq } from 'drizzle-orm'
import { rpcInputs } from '../../schema/index.js'
import { type FolioDatabase, setting, user, userSetting } from '../../schema/db/index.js'
import type { Permissions } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { RpcRegistry } from '../rpc/index.js'

/**
 * The settings `can.user` receives as `appSettings`: global settings overlaid with the user's
 * own overrides, as `{key: value}`. Admin-only settings (SMTP password, API keys) and
 * overrides of them reach admins only — the original sent them to everyone.
 */
export async function settingsFor(db: FolioDatabase, can: Permissions): Promise<Record<string, string | null>> {
  const isAdmin = can.isAdmin()
  const adminOnly = new Set<string>()
  const settings: Record<string, string | null> = {}
  for (const row of await db.select().from(setting)) {
    if (row.onlyAdmin) adminOnly.add(row.key)
    if (isAdmin || !row.onlyAdmin) settings[row.key] = row.value
  }
  for (const row of await db.select().from(userSetting).where(eq(userSetting.userId, can.user.id))) {
    if (isAdmin || !adminOnly.has(row.key)) settings[row.key] = row.value
  }
  return settings
}

async function isAdminOnly(db: FolioDatabase, key: string): Promise<boolean> {
  const [row] = await db.select({ onlyAdmin: setting.onlyAdmin }).from(setting).where(eq(setting.key, key)).limit(1)
  return row?.onlyAdmin ?? false
}

/** `appSettingSet` (per-user overrides), and the admins' `settingGetData` / `settingSave` of global settings. */
export function registerSettingsEvents(rpc: RpcRegistry): void {
  rpc.define('appSettingSet', rpcInputs.appSettingSet, async ({ key, value, userId }, ctx) => {
    const targetId = userId ?? ctx.user.id
    if (targetId !== ctx.user.id && !ctx.can.isAdmin()) throw new ForbiddenError("only administrators may change another user's settings")
    if ((await isAdminOnly(ctx.db, key)) && !ctx.can.isAdmin()) throw new ForbiddenError(`setting "${key}" is reserved to administrators`)
    const [target] = await ctx.db.select({ id: user.id }).from(user).where(and(eq(user.id, targetId), eq(user.deleted, false))).limit(1)
    if (!target) throw new NotFoundError(`user ${targetId} does not exist`)
    await ctx.db.insert(userSetting)
      .values({ key, userId: targetId, value })
      .onConflictDoUpdate({ target: [userSetting.key, userSetting.userId], set: { value } })
    if (targetId === ctx.user.id) ctx.emit('appSettings', await settingsFor(ctx.db, ctx.can))
    return null
  }, { scope: "your own settings; admins: anyone's, and admin-only keys", pushes: ['appSettings'] })

  rpc.define('settingGetData', rpcInputs.settingGetData, async (_input, ctx) => await ctx.db.select().from(setting).orderBy(setting.key), { access: 'admin' })

  rpc.define(
    'settingSave',
    rpcInputs.settingSave,
    async (entries, ctx) => {
      for (const { key, value } of entries) {
        await ctx.db.insert(setting).values({ key, value }).onConflictDoUpdate({ target: setting.key, set: { value } })
      }
      return null
    },
    { transaction: true, access: 'admin' },
  )
}
