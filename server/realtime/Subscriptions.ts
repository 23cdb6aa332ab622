import { randomUUID } from 'node:crypto'
import type { SyncedTableName } from '../../schema/index.js'
import { InvalidInputError, NotFoundError } from '../errors.js'
import type { RowFilter } from './rowSets.js'

interface Subscription {
  table: SyncedTableName
  filter: RowFilter
}

/** The `subscribeAppData` subscriptions of every events client, by client id and subscription id. */
export class Subscriptions {
  private readonly byClient = new Map<string, Map<string, Subscription>>()

  /** `maxPerClient` bounds one client's subscriptions: each costs a filter check per pushed row. */
  constructor(private readonly maxPerClient: number) {}

  /** Stores a subscription and returns its id. */
  add(clientId: string, table: SyncedTableName, filter: RowFilter): string {
    let subscriptions = this.byClient.get(clientId)
    if (!subscriptions) this.byClient.set(clientId, (subscriptions = new Map()))
    if (subscriptions.size >= this.maxPerClient) {
      throw new InvalidInputError(`too many subscriptions: at most ${this.maxPerClient} per connection; unsubscribe unused ones first`)
    }
    const id = randomUUID()
    subscriptions.set(id, { table, filter })
    return id
  }

  /** Removes one subscription of the client; NotFound when it holds no subscription with that id. */
  remove(clientId: string, subscriptionId: string): void {
    const subscriptions = this.byClient.get(clientId)
    if (!subscriptions?.delete(subscriptionId)) throw new NotFoundError(`no subscription ${subscriptionId} on this connection`)
    if (subscriptions.size === 0) this.byClient.delete(clientId)
  }

  /** Forgets every subscription of a client whose socket closed. */
  dropClient(clientId: string): void {
    this.byClient.delete(clientId)
  }

  /** The filters of the client's subscriptions on `table`; empty when it has none. */
  filtersOf(clientId: string, table: SyncedTableName): RowFilter[] {
    const filters: RowFilter[] = []
    for (const subscription of this.byClient.get(clientId)?.values() ?? []) if (subscription.table === table) filters.push(subscription.filter)
    return filters
  }
}
