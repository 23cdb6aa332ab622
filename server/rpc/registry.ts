import type { z } from 'zod'
import { type Logger, SerialTransactions } from '../../sync/index.js'
import { type FolioDatabase } from '../../schema/db/index.js'
import { Permissions } from '../access/index.js'
import type { SessionUser } from '../auth/index.js'
import { type Answer, type FailureStatus, failureAnswer } from '../answers.js'
import { InvalidInputError, NotAuthenticatedError, NotFoundError } from '../errors.js'
import { describeIssues } from '../http/body.js'
import { ChangeSet, type TableChange } from './ChangeSet.js'
import type { EventClient } from '../events/index.js'

/** What every handler gets besides its validated input. */
export interface RpcContext {
  user: SessionUser
  db: FolioDatabase
  can: Permissions
  /** Rows written to auto-synced tables; pushed as `<table>Refresh` after commit. */
  changes: ChangeSet
  /** Runs `callback` once the call's transaction has committed (at once after a call without one), and awaits it before answering; never after a rollback. */
  afterCommit(callback: () => unknown): void
  /**
   * Runs `work` in one write transaction of its own, for a handler without `transaction: true`
   * that must first await what cannot run inside one (the engine's `flush`, which takes a write
   * turn itself). Every write of such a handler goes through here, so it never lands inside
   * another call's open transaction.
   */
  write<T>(work: () => Promise<T>): Promise<T>
  /** The caller's events socket; null over HTTP. */
  client: EventClient | null
  /** Pushes an event to the caller's events socket; over HTTP there is none and it is dropped. */
  emit(event: string, data: unknown): void
}


/** Who is calling, and their events socket if the call came through one. */
export interface Caller {
  user: SessionUser | null
  client: EventClient | null
}

type Handler<S extends z.ZodType, R> = (input: z.infer<S>, ctx: RpcContext) => R

/**
 * Who may call an event at all, checked before its input is read: any signed-in user, admins
 * only, or admins and holders of a right. Finer rules (this document's readers, the owner of that
 * row) are the handler's, named in `scope` for the catalogue.
 */
export type EventAccess = 'signedIn' | 'admin' | { right: string }

/** How an event is defined besides its schema and handler; all of it is listed in the catalogue. */
export interface EventOptions {
  /** All the handler's writes commit or roll back together. */
  transaction?: boolean
  /** Default: any signed-in user. */
  access?: EventAccess
  /** The handler's own check on the rows it touches, in words, e.g. "readers of the document". */
  scope?: string
  /** Server events the call may push: to the caller (`ctx.emit`) or, for rows it writes, `<table>Refresh` to subscribers. */
  pushes?: readonly string[]
}

export interface Definition {
  schema: z.ZodType
  handler: (input: unknown, ctx: RpcContext) => unknown
  transaction: boolean
  access: EventAccess
  scope: string | null
  pushes: readonly string[]
}

/**
 * One registry of RPC events, reached over `POST /rpc/<event>` and the events websocket alike. A
 * transactional handler may await the database (as it must on PostgreSQL) and runs in one write
 * transaction of the connection's `SerialTransactions`: better-sqlite3 has one connection, so the
 * transactions of concurrent calls, and the engine's log appends, take turns instead of running
 * inside each other (the original's shared-transaction hazard).
 */
export class RpcRegistry {
  private readonly definitions = new Map<string, Definition>()
  private readonly failureListeners: ((event: string, answer: Answer, caller: Caller) => void)[] = []
  private readonly transactions: SerialTransactions

  constructor(
    private readonly db: FolioDatabase,
    private readonly publish: (changes: TableChange[], writer: SessionUser) => void,
    private readonly log: Logger,
  ) {
    this.transactions = SerialTransactions.of(db)
  }

  /** Registers `event`; see `EventOptions` for what the options declare. */
  define<S extends z.ZodType, R>(event: string, schema: S, handler: Handler<S, R>, options: EventOptions = {}): void {
    if (this.definitions.has(event)) throw new Error(`RPC event "${event}" is defined twice`)
    this.definitions.set(event, {
      schema,
      handler: handler as Definition['handler'],
      transaction: options.transaction ?? false,
      access: options.access ?? 'signedIn',
      scope: options.scope ?? null,
      pushes: options.pushes ?? [],
    })
  }

  /** Every defined event, by name, for the catalogue. */
  events(): ReadonlyMap<string, Readonly<Definition>> {
    return this.definitions
  }

  /** Runs `listener` with every failed call's answer (after it is built, before it is sent). */
  onFailure(listener: (event: string, answer: Answer, caller: Caller) => void): void {
    this.failureListeners.push(listener)
  }

  has(event: string): boolean {
    return this.definitions.has(event)
  }

  /** Validates, authorizes and runs one call; every failure becomes a `{success: false}` answer. */
  async call(event: string, data: unknown, caller: Caller): Promise<{ answer: Answer; status: 200 | FailureStatus; headers: Record<string, string> }> {
    try {
      return { answer: { success: true, data: await this.run(event, data, caller) }, status: 200, headers: {} }
    } catch (error) {
      const failed = failureAnswer(error, this.log, `"${event}"`)
      for (const listener of this.failureListeners) listener(event, failed.answer, caller)
      return failed
    }
  }

  private async run(event: string, data: unknown, caller: Caller): Promise<unknown> {
    const definition = this.definitions.get(event)
    if (!definition) throw new NotFoundError(`unknown event "${event}"`)
    if (!caller.user) throw new NotAuthenticatedError()
    const user = caller.user
    const can = await Permissions.load(this.db, user)
    // Before the input is read: who may not call an event learns nothing of what it takes.
    requireAccess(can, definition.access)
    const parsed = definition.schema.safeParse(data)
    if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error))

    const callbacks: (() => unknown)[] = []
    const ctx: RpcContext = {
      user,
      db: this.db,
      can,
      changes: new ChangeSet(),
      afterCommit: (callback) => void callbacks.push(callback),
      write: (work) => this.transactions.transaction(work),
      client: caller.client,
      emit: (name, payload) => caller.client?.send(name, payload),
    }
    const result = definition.transaction
      ? await this.transactions.transaction(async () => definition.handler(parsed.data, ctx))
      : await definition.handler(parsed.data, ctx)

    if (!ctx.changes.isEmpty) callbacks.unshift(() => this.publish(ctx.changes.changes(), user))
    for (const callback of callbacks) {
      try {
        await callback()
      } catch (error) {
        this.log.error('rpc.after_commit_failed', { event, error: String(error) })
      }
    }
    return result
  }
}

function requireAccess(can: Permissions, access: EventAccess): void {
  if (access === 'admin') can.requireAdmin()
  else if (access !== 'signedIn') can.requireRight(access.right)
}
