import { and, eq } from 'drizzle-orm'
import { rpcInputs, setting, user, userSetting } from '../../schema/index.js'
import type { FolioDatabase } from '../../sync/index.js'
import type { Permissions } from '../access/index.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import type { RpcRegistry } from '../rpc/index.js'

/**
 * The settings `can.user` receives as `appSettings`: global settings overlaid with the user's
 * own overrides, as `{key: value}`. Admin-only settings (SMTP password, API keys) and
 * overrides of them reach admins only — the original sent them to everyone.
 */
export function settingsFor(db: FolioDatabase, can: Permissions): Record<string, string | null> {
  const isAdmin = can.isAdmin()
  const adminOnly = new Set<string>()
  const settings: Record<string, string | null> = {}
  for (const row of db.select().from(setting).all()) {
    if (row.onlyAdmin) adminOnly.add(row.key)
    if (isAdmin || !row.onlyAdmin) settings[row.key] = row.value
  }
  for (const row of db.select().from(userSetting).where(eq(userSetting.userId, can.user.id)).all()) {
    if (isAdmin || !adminOnly.has(row.key)) settings[row.key] = row.value
  }
  return settings
}

function isAdminOnly(db: FolioDatabase, key: string): boolean {
  return db.select({ onlyAdmin: setting.onlyAdmin }).from(setting).where(eq(setting.key, key)).get()?.onlyAdmin ?? false
}

/** `appSettingSet` (per-user overrides), and the admins' `settingGetData` / `settingSave` of global settings. */
export function registerSettingsEvents(rpc: RpcRegistry): void {
  rpc.define('appSettingSet', rpcInputs.appSettingSet, ({ key, value, userId }, ctx) => {
    const targetId = userId ?? ctx.user.id
    if (targetId !== ctx.user.id && !ctx.can.isAdmin()) throw new ForbiddenError("only administrators may change another user's settings")
    if (isAdminOnly(ctx.db, key) && !ctx.can.isAdmin()) throw new ForbiddenError(`setting "${key}" is reserved to administrators`)
    if (!ctx.db.select({ id: user.id }).from(user).where(and(eq(user.id, targetId), eq(user.deleted, false))).get()) throw new NotFoundError(`user ${targetId} does not exist`)
    ctx.db.insert(userSetting)
      .values({ key, userId: targetId, value })
      .onConflictDoUpdate({ target: [userSetting.key, userSetting.userId], set: { value } })
      .run()
    if (targetId === ctx.user.id) ctx.emit('appSettings', settingsFor(ctx.db, ctx.can))
    return null
  })

  rpc.define('settingGetData', rpcInputs.settingGetData, (_input, ctx) => {
    ctx.can.requireAdmin()
    return ctx.db.select().from(setting).orderBy(setting.key).all()
  })

  rpc.define(
    'settingSave',
    rpcInputs.settingSave,
    (entries, ctx) => {
      ctx.can.requireAdmin()
      for (const { key, value } of entries) {
        ctx.db.insert(setting).values({ key, value }).onConflictDoUpdate({ target: setting.key, set: { value } }).run()
      }
      return null
    },
    { transaction: true },
  )
}
