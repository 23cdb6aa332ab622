import { clientLoggingSetting, rpcInputs } from '../../schema/index.js'
import type { Logger } from '../../sync/index.js'
import { ForbiddenError, InvalidInputError } from '../errors.js'
import type { RpcRegistry } from '../rpc/index.js'
import { getSetting } from '../settings/index.js'
import { logPage } from './logQuery.js'

/** Largest `meta` of a client's entry, as JSON. */
const maxClientMetaBytes = 4096

/**
 * `log`: a client's entry goes to the log table, redacted as the server's own lines are, only
 * while the client-logging setting is on; `logGetAll` (admins): a filtered, ordered page of the
 * table, answered and pushed as `logAll`.
 */
export function registerLogEvents(rpc: RpcRegistry, { clientLog }: { clientLog: Logger }): void {
  rpc.define('log', rpcInputs.log, async ({ level, message, meta }, ctx) => {
    if ((await getSetting(ctx.db, clientLoggingSetting)) !== 'true') throw new ForbiddenError(`logging from clients is switched off (setting ${clientLoggingSetting})`)
    if (meta !== undefined && JSON.stringify(meta).length > maxClientMetaBytes) throw new InvalidInputError(`invalid input: meta: at most ${maxClientMetaBytes} bytes of JSON`)
    const fields = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta : meta === undefined ? {} : { meta }
    clientLog[level](message, { ...fields, userId: ctx.user.id })
    return null
  }, { scope: 'while the setting allows logging from clients' })

  rpc.define('logGetAll', rpcInputs.logGetAll, async (query, ctx) => {
    const page = await logPage(ctx.db, query ?? {})
    ctx.emit('logAll', page)
    return page
  }, { access: 'admin', pushes: ['logAll'] })
}
