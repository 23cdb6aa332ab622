import { eq } from 'drizzle-orm'
import { rpcInputs } from '../../schema/index.js'
import { userRole } from '../../schema/db/index.js'
import { InvalidInputError, NotFoundError } from '../errors.js'
import type { EventClient } from '../events/index.js'
import { syncedTables } from './syncedTables.js'
import type { TableWriters } from './tableWriters.js'
import { refreshEvent, type TableSync } from './TableSync.js'
import { writeSyncedRow } from './writeSyncedRow.js'
import type { RpcContext, RpcRegistry } from '../rpc/index.js'
import { settingsFor } from '../settings/index.js'
import { appUserOf } from '../users/index.js'

/** What `appInit` pushes, one event per key, and answers as a whole for HTTP callers. */
async function appBundle({ db, can }: RpcContext) {
  return {
    appUser: await appUserOf(db, can),
    appTables: Object.values(syncedTables).map(({ name, fields }) => ({ name, fields })),
    appSettings: await settingsFor(db, can),
    appSystemRoles: await db.select({ id: userRole.id, name: userRole.name }).from(userRole).where(eq(userRole.deleted, false)),
  }
}

function eventsClientOf(ctx: RpcContext, event: string): EventClient {
  if (!ctx.client) throw new InvalidInputError(`${event} needs the events websocket (ws://<host>/events?token=…): over HTTP there is no channel to push rows to`)
  return ctx.client
}

/** The app events: `appInit`, live table subscriptions, and writes to synced tables (generic, or a table's own writer). */
export function registerAppEvents(rpc: RpcRegistry, { tableSync, writers }: { tableSync: TableSync; writers: TableWriters }): void {
  rpc.define('appInit', rpcInputs.appInit, async (_input, ctx) => {
    const bundle = await appBundle(ctx)
    for (const [event, data] of Object.entries(bundle)) ctx.emit(event, data)
    return bundle
  }, { pushes: ['appUser', 'appTables', 'appSettings', 'appSystemRoles'] })

  rpc.define('subscribeAppData', rpcInputs.subscribeAppData, async ({ table, filter }, ctx) => {
    const { subscriptionId, rows } = await tableSync.subscribe(eventsClientOf(ctx, 'subscribeAppData'), ctx.can, table, filter ?? [])
    // Sent even when empty, so the client knows its snapshot has arrived.
    ctx.emit(refreshEvent(table), rows)
    return subscriptionId
  }, { scope: 'the rows of the table the caller may see; over the events websocket only', pushes: ['<table>Refresh'] })

  // The original's reads of a table without a subscription, kept for old clients: the same rows a subscription's snapshot holds.
  rpc.define('appData', rpcInputs.appData, async ({ table, filter }, ctx) => {
    const rows = await tableSync.rows(ctx.can, table, filter ?? [])
    ctx.emit(refreshEvent(table), rows)
    return rows
  }, { scope: 'the rows of the table the caller may see', pushes: ['<table>Refresh'] })

  rpc.define('appDataByHash', rpcInputs.appDataByHash, async ({ table, hash }, ctx) => {
    if (!syncedTables[table].readable.has('hash')) throw new InvalidInputError(`invalid input: table: table ${table} has no hash column`)
    const rows = await tableSync.rows(ctx.can, table, [{ key: 'hash', value: hash }])
    // Missing and not visible answer alike, so the answer never tells that a hidden row exists.
    if (rows.length === 0) throw new NotFoundError(`no ${table} you may see has hash ${hash}`)
    ctx.emit(refreshEvent(table), rows)
    return rows
  }, { scope: 'the row of the table the caller may see', pushes: ['<table>Refresh'] })

  rpc.define('unsubscribeAppData', rpcInputs.unsubscribeAppData, (subscriptionId, ctx) => {
    tableSync.unsubscribe(eventsClientOf(ctx, 'unsubscribeAppData'), subscriptionId)
    return subscriptionId
  }, { scope: 'your own subscriptions' })

  rpc.define(
    'appDataUpdate',
    rpcInputs.appDataUpdate,
    async ({ table, data }, ctx) => {
      const synced = syncedTables[table]
      const write = writers[table]
      const { row, previous, changed, related } = await (write ? write(data, ctx) : writeSyncedRow(ctx.db, synced, ctx.can, data))
      if (changed) ctx.changes.record(table, row, previous)
      for (const write of related) ctx.changes.record(write.table, write.row, write.previous)
      return synced.keyOf(row)
    },
    { transaction: true, scope: "per table: the row's owner, or admins, as the table's writers rule says", pushes: ['<table>Refresh'] },
  )
}
