import { randomUUID } from 'node:crypto'
import { backgroundTaskStartInput, type BackgroundTaskState } from '../../schema/index.js'
import type { Logger } from '../../sync/index.js'
import type { SessionUser } from '../auth/index.js'
import { saveDocumentData } from '../documents/index.js'
import { ConflictError, FolioError, InvalidInputError } from '../errors.js'
import type { EventHub } from '../events/index.js'
import { parseQuery } from '../http/parseQuery.js'
import type { RpcContext, TableChange } from '../rpc/index.js'
import type { NlpService } from './NlpService.js'
import { SkillRequestCancelled } from './NlpBroker.js'
import { callerSocket, type Service, type ServiceData, ServiceClients } from './Service.js'
import { taskItems, type TaskItem } from './taskItems.js'
import type { SkillInputs } from './skillInputs.js'

interface Task {
  state: BackgroundTaskState
  abort: AbortController
  done: Promise<void>
}

/** What the background task service needs besides the NLP service: pushing the rows it writes. */
export interface BackgroundTaskDeps {
  nlp: NlpService
  inputs: SkillInputs
  publish: (changes: TableChange[], writer: SessionUser) => Promise<void>
  hub: EventHub
  log: Logger
}

/**
 * `BackgroundTaskService` (admins only: every event of it checks, where the original let anyone
 * read the task's state): applies a skill to many documents or submissions, one after the other.
 * Each result field `f` is stored in `document_data` under `nlpRequest_<skill>_<f>` of the item's
 * document, in a write of its own, and pushed to the table's subscribers; an item whose skill
 * fails or times out is counted as failed and the next one runs. The starting socket gets
 * `progressUpdate` after every item, connected admins `backgroundTaskUpdate` with the task's
 * state. One task runs at a time; `cancelPreprocessing` stops it before its next item and drops
 * the results still awaited, keeping those stored.
 */
export class BackgroundTaskService implements Service {
  readonly name = 'BackgroundTaskService' as const
  private readonly subscribers: ServiceClients
  private task: Task | null = null

  constructor(private readonly deps: BackgroundTaskDeps) {
    this.subscribers = new ServiceClients(this.name, deps.hub)
  }

  async connect(ctx: RpcContext): Promise<null> {
    ctx.can.requireAdmin()
    const client = callerSocket(ctx, this.name, 'serviceConnect')
    this.subscribers.add(client)
    this.subscribers.send(client, 'backgroundTaskUpdate', this.task?.state ?? null)
    return null
  }

  async disconnect(ctx: RpcContext): Promise<null> {
    if (ctx.client) this.subscribers.remove(ctx.client)
    return null
  }

  async request(): Promise<never> {
    throw new InvalidInputError('BackgroundTaskService takes commands (serviceCommand): getBackgroundTask, startPreprocessing, cancelPreprocessing')
  }

  async command(ctx: RpcContext, command: string, data: ServiceData): Promise<BackgroundTaskState | null> {
    ctx.can.requireAdmin()
    switch (command) {
      case 'getBackgroundTask':
        return this.task?.state ?? null
      case 'startPreprocessing':
        return this.start(ctx, data)
      case 'cancelPreprocessing':
        return this.cancel()
      default:
        throw new InvalidInputError(`unknown command "${command}" of BackgroundTaskService: use getBackgroundTask, startPreprocessing or cancelPreprocessing`)
    }
  }

  async close(): Promise<void> {
    this.task?.abort.abort()
    await this.task?.done
  }

  /** Checks every item before the first runs (a missing or refused id starts nothing), then runs them in the background. */
  private async start(ctx: RpcContext, data: ServiceData): Promise<BackgroundTaskState> {
    const input = parseQuery(backgroundTaskStartInput, data, 'data')
    if (this.task && !this.task.state.finished) throw new ConflictError(`a background task (${this.task.state.skill}) is still running: wait for it or cancel it first`)
    const items = await taskItems(ctx, this.deps.inputs, input)
    const state: BackgroundTaskState = { taskId: randomUUID(), skill: input.skill, total: items.length, done: 0, failed: 0, cancelled: false, finished: false, startedAt: new Date().toISOString() }
    const abort = new AbortController()
    const task: Task = { state, abort, done: Promise.resolve() }
    task.done = this.runItems(ctx, task, items, input.progressId ?? null).catch((error: unknown) => {
      this.deps.log.error('background.task_failed', { skill: input.skill, error: String(error) })
    })
    this.task = task
    this.subscribers.sendAll('backgroundTaskUpdate', state)
    return { ...state }
  }

  private cancel(): BackgroundTaskState | null {
    const task = this.task
    if (!task) return null
    if (!task.state.finished) {
      task.state.cancelled = true
      task.abort.abort()
      this.subscribers.sendAll('backgroundTaskUpdate', task.state)
    }
    return { ...task.state }
  }

  private async runItems(ctx: RpcContext, task: Task, items: TaskItem[], progressId: string | null): Promise<void> {
    const { state, abort } = task
    for (const item of items) {
      if (abort.signal.aborted) break
      try {
        const outcome = await this.deps.nlp.run(ctx, state.skill, item.data, abort.signal)
        if (outcome.error !== null) throw new InvalidInputError(outcome.error)
        await this.store(ctx, state.skill, item.documentId, outcome.data)
        state.done += 1
      } catch (error) {
        if (error instanceof SkillRequestCancelled) break
        state.failed += 1
        this.deps.log.warn('background.item_failed', { skill: state.skill, documentId: item.documentId, error: error instanceof FolioError ? error.message : String(error) })
      }
      ctx.emit('progressUpdate', { id: progressId, current: state.done + state.failed, total: state.total })
      this.subscribers.sendAll('backgroundTaskUpdate', state)
    }
    state.finished = true
    this.subscribers.sendAll('backgroundTaskUpdate', state)
  }

  /** Stores each field of the result (a result that is not an object under `result`) in one write, then pushes the rows. */
  private async store(ctx: RpcContext, skill: string, documentId: number, data: unknown): Promise<void> {
    const fields = typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.entries(data) : [['result', data] as const]
    const writes = await ctx.write(async () => {
      const rows = []
      for (const [field, value] of fields) {
        rows.push(await saveDocumentData(ctx.db, { documentId, studySessionId: null, studyStepId: null, key: `nlpRequest_${skill}_${field}` }, value ?? null, ctx.user.id))
      }
      return rows
    })
    await this.deps.publish([{ table: 'document_data', writes }], ctx.user)
  }
}
