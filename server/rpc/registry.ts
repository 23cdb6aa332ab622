import type { z } from 'zod'
import type { FolioDatabase, Logger } from '../../sync/index.js'
import { Permissions } from '../access/index.js'
import type { SessionUser } from '../auth/sessions.js'
import { type Answer, type FailureStatus, failureAnswer } from '../answers.js'
import { InvalidInputError, NotAuthenticatedError, NotFoundError } from '../errors.js'
import { describeIssues } from '../http/body.js'
import { ChangeSet, type TableChange } from './ChangeSet.js'
import type { EventClient } from '../events/EventClient.js'

/** What every handler gets besides its validated input. */
export interface RpcContext {
  user: SessionUser
  db: FolioDatabase
  can: Permissions
  /** Rows written to auto-synced tables; pushed as `<table>Refresh` after commit. */
  changes: ChangeSet
  /** Runs `callback` once the call's transaction has committed (at once after a call without one); never after a rollback. */
  afterCommit(callback: () => void): void
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
/** Rejects, at compile time, a transactional handler that returns a promise. */
type Synchronous<R> = R extends PromiseLike<unknown> ? never : R

interface Definition {
  schema: z.ZodType
  handler: (input: unknown, ctx: RpcContext) => unknown
  transaction: boolean
}

/**
 * One registry of RPC events, reached over `POST /rpc/<event>` and
 * the events websocket alike. A transactional handler runs inside one SQLite transaction and
 * must be synchronous: better-sqlite3 has one connection, so an await inside a transaction
 * would let other calls' statements into it (the original's shared-transaction hazard).
 */
export class RpcRegistry {
  private readonly definitions = new Map<string, Definition>()

  constructor(
    private readonly db: FolioDatabase,
    private readonly publish: (changes: TableChange[], writer: SessionUser) => void,
    private readonly log: Logger,
  ) {}

  /** Registers `event`; with `transaction: true` the handler is synchronous and all its writes commit or roll back together. */
  define<S extends z.ZodType, R>(event: string, schema: S, handler: Handler<S, Synchronous<R>>, options: { transaction: true }): void
  define<S extends z.ZodType, R>(event: string, schema: S, handler: Handler<S, R>, options?: { transaction?: false }): void
  define<S extends z.ZodType, R>(event: string, schema: S, handler: Handler<S, R>, options: { transaction?: boolean } = {}): void {
    if (this.definitions.has(event)) throw new Error(`RPC event "${event}" is defined twice`)
    this.definitions.set(event, { schema, handler: handler as Definition['handler'], transaction: options.transaction ?? false })
  }

  has(event: string): boolean {
    return this.definitions.has(event)
  }

  /** Validates, authorizes and runs one call; every failure becomes a `{success: false}` answer. */
  async call(event: string, data: unknown, caller: Caller): Promise<{ answer: Answer; status: 200 | FailureStatus }> {
    try {
      return { answer: { success: true, data: await this.run(event, data, caller) }, status: 200 }
    } catch (error) {
      const { answer, status } = failureAnswer(error, this.log, `"${event}"`)
      return { answer, status }
    }
  }

  private async run(event: string, data: unknown, caller: Caller): Promise<unknown> {
    const definition = this.definitions.get(event)
    if (!definition) throw new NotFoundError(`unknown event "${event}"`)
    if (!caller.user) throw new NotAuthenticatedError()
    const parsed = definition.schema.safeParse(data)
    if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error))

    const user = caller.user
    const callbacks: (() => void)[] = []
    const ctx: RpcContext = {
      user,
      db: this.db,
      can: new Permissions(this.db, user),
      changes: new ChangeSet(),
      afterCommit: (callback) => void callbacks.push(callback),
      client: caller.client,
      emit: (name, payload) => caller.client?.send(name, payload),
    }
    const result = definition.transaction
      ? this.db.transaction(() => {
          const value = definition.handler(parsed.data, ctx)
          if (value instanceof Promise) throw new Error(`transactional handler "${event}" returned a promise; it must be synchronous`)
          return value
        })
      : await definition.handler(parsed.data, ctx)

    if (!ctx.changes.isEmpty) callbacks.unshift(() => this.publish(ctx.changes.changes(), user))
    for (const callback of callbacks) {
      try {
        callback()
      } catch (error) {
        this.log.error('rpc.after_commit_failed', { event, error: String(error) })
      }
    }
    return result
  }
}
