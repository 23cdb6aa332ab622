import { skillConfigInput, skillRequestInput } from '../../schema/index.js'
import type { Logger } from '../../sync/index.js'
import type { NlpConfig } from '../config.js'
import { FolioError, InvalidInputError, RateLimitedError, ServiceUnavailableError } from '../errors.js'
import type { EventClient, EventHub } from '../events/index.js'
import { parseQuery } from '../http/parseQuery.js'
import type { RpcContext } from '../rpc/index.js'
import type { SkillDefinition } from './fallbackSkills.js'
import type { BrokerSkill, NlpBroker, SkillOutcome } from './NlpBroker.js'
import { callerSocket, type Service, type ServiceData, ServiceClients } from './Service.js'
import type { SkillInputs } from './skillInputs.js'
import { brokerTarget } from './nlpSettings.js'

/** A skill's outcome, marked when it came from a fallback definition instead of the broker. */
export type SkillRun = SkillOutcome & { fallback?: true }

/**
 * `NLPService`: the skills of the NLP broker for every signed-in user. `serviceConnect` sends the
 * skills (`skillUpdate`) and the broker's state (`isAlive`), and keeps the socket for later
 * changes; `serviceRequest` runs a skill and pushes its `skillResults` to the calling socket alone;
 * `serviceCommand` answers `skillGetAll` and `skillGetConfig`. While the broker is unreachable the
 * fallback definitions stand in: listed with `fallback: true`, answered with their example output.
 */
export class NlpService implements Service {
  readonly name = 'NLPService' as const
  private readonly clients: ServiceClients
  private readonly waiting = new Map<EventClient, number>()

  constructor(
    private readonly broker: NlpBroker,
    private readonly inputs: SkillInputs,
    private readonly fallbacks: ReadonlyMap<string, SkillDefinition>,
    private readonly config: NlpConfig,
    hub: EventHub,
    private readonly log: Logger,
  ) {
    this.clients = new ServiceClients(this.name, hub)
    hub.onClose((client) => this.waiting.delete(client))
    broker.onChange(() => {
      this.clients.sendAll('isAlive', broker.connected)
      this.clients.sendAll('skillUpdate', this.skills())
    })
  }

  async connect(ctx: RpcContext): Promise<null> {
    const client = callerSocket(ctx, this.name, 'serviceConnect')
    // The admin settings are read anew at each connect, so a broker an admin names is reached without a restart.
    this.broker.retarget(await brokerTarget(ctx.db, this.config, this.log))
    this.clients.add(client)
    this.clients.send(client, 'isAlive', this.broker.connected)
    this.clients.send(client, 'skillUpdate', this.skills())
    return null
  }

  async disconnect(ctx: RpcContext): Promise<null> {
    if (ctx.client) this.clients.remove(ctx.client)
    return null
  }

  async command(ctx: RpcContext, command: string, data: ServiceData): Promise<unknown> {
    switch (command) {
      // Answered, and pushed to the caller as well, as the original's clients wait for the push.
      case 'skillGetAll': {
        const skills = this.skills()
        if (ctx.client) this.clients.send(ctx.client, 'skillUpdate', skills)
        return { skills, connected: this.broker.connected }
      }
      case 'skillGetConfig': {
        const { name } = parseQuery(skillConfigInput, data, 'data')
        const config = this.broker.connected ? this.broker.skillConfig(name) : (this.fallbacks.get(name) ?? null)
        if (ctx.client) this.clients.send(ctx.client, 'skillConfig', { config })
        return { config }
      }
      default:
        throw new InvalidInputError(`unknown command "${command}" of NLPService: use skillGetAll or skillGetConfig`)
    }
  }

  /**
   * Runs the skill for the caller's socket: every input it names is checked and replaced first, then
   * the answer is the request's id, and the results (or the error) follow as one `skillResults` push
   * to that socket only, `{id, data}` or `{id, error}`.
   */
  async request(ctx: RpcContext, data: ServiceData): Promise<{ id: string }> {
    const client = callerSocket(ctx, this.name, 'serviceRequest')
    const { id, name, data: inputs } = parseQuery(skillRequestInput, data, 'data')
    const waiting = this.waiting.get(client) ?? 0
    if (waiting >= this.config.maxPendingRequestsPerClient) {
      throw new RateLimitedError(`${waiting} skill requests of this socket still wait for results; wait for them before sending more`, Math.ceil(this.config.requestTimeoutMs / 1000))
    }
    const { outcome } = await this.start(ctx, name, inputs, client.id)
    this.waiting.set(client, waiting + 1)
    outcome
      .then(
        (outcome) => this.clients.send(client, 'skillResults', outcome.error === null ? { id, data: outcome.data, ...(outcome.fallback ? { fallback: true } : {}) } : { id, error: outcome.error }),
        (error: unknown) => this.clients.send(client, 'skillResults', { id, error: messageOf(error) }),
      )
      .finally(() => {
        const left = (this.waiting.get(client) ?? 1) - 1
        if (left > 0) this.waiting.set(client, left)
        else this.waiting.delete(client)
      })
    return { id }
  }

  /** Runs skill `name` on `inputs` for the caller of `ctx` and resolves its outcome. */
  async run(ctx: RpcContext, name: string, inputs: Record<string, unknown>, signal?: AbortSignal): Promise<SkillRun> {
    return (await this.start(ctx, name, inputs, `user:${ctx.user.id}`, signal)).outcome
  }

  async close(): Promise<void> {
    this.broker.close()
  }

  /**
   * Checks and replaces the inputs, then sends the request (or answers from the fallback while the
   * broker is unreachable): a refused input or an unreachable broker without a fallback for the
   * skill throws here, before anything is sent; the outcome settles later.
   */
  private async start(ctx: RpcContext, name: string, inputs: Record<string, unknown>, clientId: string, signal?: AbortSignal): Promise<{ outcome: Promise<SkillRun> }> {
    const resolved = await this.inputs.resolve(ctx, inputs)
    if (!this.broker.connected) {
      const fallback = this.fallbacks.get(name)
      if (!fallback) throw new ServiceUnavailableError(`the NLP broker is not reachable now and skill "${name}" has no fallback; try again later`)
      this.log.info('nlp.fallback_answered', { skill: name })
      return { outcome: Promise.resolve({ data: fallback.output?.example ?? null, error: null, fallback: true }) }
    }
    return { outcome: this.broker.request(name, resolved, { clientId, signal }) }
  }

  /** The broker's skills while it is reachable, else the fallback definitions. */
  private skills(): (BrokerSkill & { fallback?: true })[] {
    if (this.broker.connected) return this.broker.skillList()
    return [...this.fallbacks.keys()].map((name) => ({ name, nodes: 0, fallback: true }))
  }
}

/** What a failed skill request tells its caller: a typed error's message, never an internal one. */
function messageOf(error: unknown): string {
  return error instanceof FolioError ? error.message : 'the skill request failed'
}
