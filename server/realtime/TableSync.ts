import { and } from 'drizzle-orm'
import type { FilterCondition, SyncedTableName } from '../../schema/index.js'
import type { Logger } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { Permissions } from '../access/index.js'
import type { SessionUser } from '../auth/index.js'
import { InvalidInputError } from '../errors.js'
import type { EventClient, EventHub } from '../events/index.js'
import type { TableChange } from '../rpc/index.js'
import { equal, filterSql, type Row, type RowFilter, rowInSet, rowMatches } from './rowSets.js'
import { parseSubscriptionFilter } from './subscriptionFilter.js'
import { Subscriptions } from './Subscriptions.js'
import type { SyncedTable } from './SyncedTable.js'
import { findSyncedTable, syncedTables } from './syncedTables.js'

/** The push event carrying rows of `table`: `documentRefresh`, `userRefresh`, … */
export function refreshEvent(table: SyncedTableName): string {
  return `${table}Refresh`
}

/**
 * Live tables: keeps each events client's subscriptions, answers them with a snapshot, and after
 * every commit pushes the changed rows to the subscribers that may see them and whose filters
 * match.
 */
export class TableSync {
  private readonly subscriptions: Subscriptions

  constructor(
    private readonly db: FolioDatabase,
    private readonly hub: EventHub,
    private readonly log: Logger,
    maxSubscriptionsPerClient: number,
  ) {
    this.subscriptions = new Subscriptions(maxSubscriptionsPerClient)
    hub.onClose((client) => this.subscriptions.dropClient(client.id))
  }

  /** Subscribes `client` to the rows of `table` matching `filter`; returns the subscription id and the rows it matches now. */
  async subscribe(client: EventClient, can: Permissions, table: SyncedTableName, filter: readonly FilterCondition[]): Promise<{ subscriptionId: string; rows: Row[] }> {
    const synced = syncedTables[table]
    const rowFilter = parseSubscriptionFilter(synced, filter)
    const rows = await this.snapshot(synced, can, rowFilter)
    // Subscriptions exist only for open sockets: the hub's close listener is what frees them.
    if (!this.hub.clients.has(client)) throw new InvalidInputError('this events connection is closed')
    return { subscriptionId: this.subscriptions.add(client.id, table, rowFilter), rows }
  }

  /** The live rows of `table` that `can.user` may see and that match `filter`, once, without a subscription (`appData`). */
  async rows(can: Permissions, table: SyncedTableName, filter: readonly FilterCondition[]): Promise<Row[]> {
    const synced = syncedTables[table]
    return this.snapshot(synced, can, parseSubscriptionFilter(synced, filter))
  }

  /** Stops one subscription of `client`; its other subscriptions keep going. */
  unsubscribe(client: EventClient, subscriptionId: string): void {
    this.subscriptions.remove(client.id, subscriptionId)
  }

  /**
   * Pushes committed changes as `<table>Refresh`. Each client gets the changed rows it may see
   * now (its permissions are read afresh, so role changes apply at once) that match one of its
   * filters on that table. Deleted rows go by the same test on their last data, so everyone
   * who could see a row learns of its deletion. A row that left a client's view (made private,
   * no longer matching its filter, or no longer shared with its user: `formerAudience`) reaches it
   * as its key with `deleted: true`, and nothing more.
   */
  async publish(changes: TableChange[], writer: SessionUser): Promise<void> {
    const permissions = new Map<EventClient, Permissions | null>()
    const permissionsOf = async (client: EventClient): Promise<Permissions | null> => {
      if (!permissions.has(client)) {
        const user = await client.currentUser()
        permissions.set(client, user ? await Permissions.load(this.db, user) : null)
      }
      return permissions.get(client)!
    }

    for (const change of changes) {
      const synced = findSyncedTable(change.table)
      if (!synced) {
        this.log.warn('realtime.unsynced_table', { table: change.table, writerId: writer.id })
        continue
      }
      let recipients = 0
      for (const client of this.hub.clients) {
        const filters = this.subscriptions.filtersOf(client.id, synced.name)
        if (filters.length === 0) continue
        const can = await permissionsOf(client)
        if (!can) continue
        const visible = await synced.visibleRows(can)
        const matches = (row: Row) => filters.some((filter) => rowMatches(row, filter))
        const sees = (row: Row) => rowInSet(row, visible) && matches(row)
        const rows = change.writes.flatMap(({ row, previous, formerAudience }) => {
          if (sees(row)) return [synced.toWire(row)]
          const saw = previous && (sees(previous) || (formerAudience?.includes(can.user.id) && matches(previous)))
          return saw ? [{ ...synced.keyColumnsOf(row), deleted: true }] : []
        })
        if (rows.length === 0) continue
        client.send(refreshEvent(synced.name), rows)
        recipients++
      }
      this.log.debug('realtime.published', { table: synced.name, rows: change.writes.length, recipients, writerId: writer.id })
    }
  }

  /** The live rows of `synced` that `can.user` may see and that match `filter`. */
  private async snapshot(synced: SyncedTable, can: Permissions, filter: RowFilter): Promise<Row[]> {
    const where = and(await synced.visibleWhere(can), filterSql(synced.readable, [equal('deleted', false), ...filter]))
    const rows = (await this.db.select().from(synced.table).where(where)) as Row[]
    return rows.map((row) => synced.toWire(row))
  }
}
