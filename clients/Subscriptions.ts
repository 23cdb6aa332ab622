import type { SyncedTableName } from '../schema/inputs/app.js'
import { type Row, type RowFilter, rowMatches } from './rowFilter.js'
import { RpcError } from './RpcError.js'
import { rowKeyOf, RowStore } from './RowStore.js'

/** Stops a subscription; `ready` settles when the server first accepted it (or refused it). */
export interface Subscription {
  (): void
  /** Resolves once the server answered the first `subscribeAppData`; rejects with its RpcError if refused. */
  readonly ready: Promise<void>
}

export interface SubscribeOptions {
  /** Called when the server refuses the subscription (it is then dropped) or a restore fails. */
  onError?(error: RpcError): void
}

/** The calls the subscriptions make; they go over the events socket, the only channel pushes come back on. */
export interface SubscriptionChannel {
  readonly isOpen: boolean
  call(event: string, data: unknown): Promise<unknown>
}

interface Entry {
  table: string
  filter: RowFilter | undefined
  onRows(rows: Row[]): void
  onError: ((error: RpcError) => void) | undefined
  active: boolean
  /** The id the server gave this subscription on the current socket. */
  serverId: string | null
  /** The rows last handed to `onRows`, to call it only when its view changed. */
  view: Row[] | null
  accepted(): void
  refused(error: RpcError): void
}

type SendResult = 'accepted' | 'refused' | 'interrupted'

const refreshSuffix = 'Refresh'
const noop = () => {}

/**
 * `subscribe(table, filter, cb)`: the subscriptions of one client, one row store per table fed by
 * `<table>Refresh` pushes, and their restore on every new events socket, so a reconnect loses
 * no subscription.
 */
export class Subscriptions {
  private readonly entries = new Set<Entry>()
  private readonly stores = new Map<string, RowStore>()
  /** Counts socket connections, so an answer from an older socket is recognised. */
  private connection = 0

  constructor(private readonly channel: SubscriptionChannel) {}

  add(table: SyncedTableName, filter: RowFilter | null | undefined, onRows: (rows: Row[]) => void, options: SubscribeOptions = {}): Subscription {
    let accepted = noop
    let refused: (error: RpcError) => void = noop
    const ready = new Promise<void>((resolve, reject) => {
      accepted = resolve
      refused = reject
    })
    // Callers that only pass onError, or ignore failures, must not get an unhandled rejection.
    ready.catch(noop)
    const entry: Entry = {
      table,
      filter: filter ?? undefined,
      onRows,
      onError: options.onError,
      active: true,
      serverId: null,
      view: null,
      accepted,
      refused,
    }
    this.entries.add(entry)
    if (!this.stores.has(table)) this.stores.set(table, new RowStore(rowKeyOf(table)))
    if (this.channel.isOpen) void this.send(entry, this.connection)

    const unsubscribe = () => this.remove(entry)
    return Object.assign(unsubscribe, { ready })
  }

  /** A push from the server: `<table>Refresh` rows go into that table's store. */
  handlePush(event: string, data: unknown): void {
    if (!event.endsWith(refreshSuffix)) return
    const table = event.slice(0, -refreshSuffix.length)
    const store = this.stores.get(table)
    if (!store) return
    const rows = (Array.isArray(data) ? data : [data]) as Row[]
    if (store.apply(rows)) this.notify(table)
  }

  /** A new events socket is open: sends every subscription again and refreshes each store from the new snapshots. */
  connected(): void {
    const connection = ++this.connection
    const byTable = new Map<string, Entry[]>()
    for (const entry of this.entries) {
      entry.serverId = null
      const list = byTable.get(entry.table) ?? []
      list.push(entry)
      byTable.set(entry.table, list)
    }
    for (const [table, entries] of byTable) {
      const store = this.stores.get(table)!
      store.beginResync()
      void Promise.all(entries.map((entry) => this.send(entry, connection))).then((results) => {
        if (connection !== this.connection || this.stores.get(table) !== store) return
        if (results.includes('interrupted')) store.abortResync()
        else if (store.endResync()) this.notify(table)
      })
    }
  }

  /** The events socket closed: the server forgot every subscription id. */
  disconnected(): void {
    this.connection++
    for (const entry of this.entries) entry.serverId = null
    for (const store of this.stores.values()) store.abortResync()
  }

  /** The session ended (logout): forgets every row, keeps the subscriptions for the next login. */
  clearRows(): void {
    this.disconnected()
    for (const [table, store] of this.stores) if (store.clear()) this.notify(table)
  }

  /** Drops every subscription without telling the server (its socket is closing). */
  dispose(): void {
    for (const entry of this.entries) entry.active = false
    this.entries.clear()
    this.stores.clear()
  }

  private async send(entry: Entry, connection: number): Promise<SendResult> {
    const data = entry.filter ? { table: entry.table, filter: entry.filter } : { table: entry.table }
    let id: unknown
    try {
      id = await this.channel.call('subscribeAppData', data)
    } catch (error) {
      const failure = error instanceof RpcError ? error : new RpcError(String(error), 'subscribeAppData')
      if (failure.reason !== 'server') {
        // A timeout leaves the subscription in doubt; the next socket restores it anyway.
        if (failure.reason === 'timeout' && entry.active) entry.onError?.(failure)
        return 'interrupted'
      }
      if (entry.active) {
        entry.refused(failure)
        this.remove(entry)
        entry.onError?.(failure)
      }
      return 'refused'
    }
    if (connection !== this.connection) return 'interrupted'
    if (typeof id !== 'string') {
      const failure = new RpcError(`subscribeAppData answered ${JSON.stringify(id)} instead of a subscription id`, 'subscribeAppData')
      entry.onError?.(failure)
      return 'refused'
    }
    if (!entry.active) {
      this.channel.call('unsubscribeAppData', id).catch(noop)
      return 'accepted'
    }
    entry.serverId = id
    entry.accepted()
    // The first answer delivers the state even when the snapshot was empty and nothing was pushed.
    if (entry.view === null) this.deliver(entry)
    return 'accepted'
  }

  private remove(entry: Entry): void {
    if (!entry.active) return
    entry.active = false
    this.entries.delete(entry)
    entry.refused(new RpcError('unsubscribed before the server accepted the subscription', 'subscribeAppData', undefined, 'closed'))
    if (entry.serverId !== null && this.channel.isOpen) this.channel.call('unsubscribeAppData', entry.serverId).catch(noop)
    entry.serverId = null
    if (![...this.entries].some((other) => other.table === entry.table)) this.stores.delete(entry.table)
  }

  private notify(table: string): void {
    for (const entry of [...this.entries]) if (entry.table === table && entry.active) this.deliver(entry)
  }

  /** Hands the entry its filtered rows if they differ from what it saw last (rows are replaced, never mutated, on change). */
  private deliver(entry: Entry): void {
    const rows = (this.stores.get(entry.table)?.values() ?? []).filter((row) => rowMatches(row, entry.filter))
    const previous = entry.view
    if (previous && previous.length === rows.length && previous.every((row, index) => row === rows[index])) return
    entry.view = rows
    entry.onRows(rows)
  }
}
