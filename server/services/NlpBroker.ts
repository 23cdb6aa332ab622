import { randomUUID } from 'node:crypto'
import { io, type Socket } from 'socket.io-client'
import { z } from 'zod'
import type { Logger } from '../../sync/index.js'
import type { NlpConfig } from '../config.js'
import type { BrokerTarget } from './nlpSettings.js'
import { ServiceTimeoutError, ServiceUnavailableError } from '../errors.js'

/** A skill as the broker lists it: `nodes` is how many of its workers run it (0: gone). */
const brokerSkill = z.looseObject({ name: z.string().min(1), nodes: z.number().int() })
export type BrokerSkill = z.infer<typeof brokerSkill>
const skillConfig = z.looseObject({ name: z.string().min(1) })
const skillResults = z.looseObject({ id: z.string(), data: z.unknown().optional(), error: z.unknown().optional() })

/** What the broker answered to one skill request: its data, or its error message. */
export interface SkillOutcome {
  data: unknown
  error: string | null
}

/** A skill request given up on before the broker answered. */
export class SkillRequestCancelled extends Error {
  constructor() {
    super('the skill request was cancelled')
  }
}

interface Pending {
  settle(outcome: SkillOutcome | Error): void
}

/**
 * The connection to the NLP broker, as a socket.io client sending `auth.token`. On every
 * (re)connection it asks for the skills (`skillGetAll`) and then each skill's configuration
 * (`skillGetConfig`); it keeps both as the broker updates them. A skill request waits
 * `requestTimeoutMs` for its `skillResults` and is sent again, under the same id, until
 * `requestAttempts` attempts went unanswered: results of an earlier attempt still count, and
 * only one outcome per request is taken. Results are matched by the request id this server
 * chose, so no one can receive another request's results by naming its id.
 */
export class NlpBroker {
  private socket: Socket | null = null
  private readonly skills = new Map<string, BrokerSkill>()
  private readonly configs = new Map<string, Record<string, unknown>>()
  private readonly pending = new Map<string, Pending>()
  private readonly changeListeners: (() => void)[] = []
  private target: BrokerTarget

  constructor(
    private readonly config: NlpConfig,
    private readonly log: Logger,
  ) {
    this.target = { url: config.url, token: config.token }
  }

  /** Points the connection at `target` (the admin settings changed); nothing happens when it is the one already used. */
  retarget(target: BrokerTarget): void {
    if (target.url === this.target.url && target.token === this.target.token) return
    this.close('the NLP broker settings changed; try again')
    this.target = target
    this.skills.clear()
    this.configs.clear()
    this.changed()
    this.start()
  }

  /** Connects when a broker URL is configured; socket.io retries every `reconnectDelayMs` while the broker is down. */
  start(): void {
    if (this.target.url === null || this.socket) return
    const socket = io(this.target.url, {
      auth: { token: this.target.token ?? '' },
      reconnection: true,
      reconnectionDelay: this.config.reconnectDelayMs,
      reconnectionDelayMax: this.config.reconnectDelayMs,
      timeout: this.config.requestTimeoutMs,
    })
    socket.on('connect', () => {
      this.log.info('nlp.connected', {})
      socket.emit('skillGetAll')
      this.changed()
    })
    socket.on('disconnect', (reason) => {
      this.log.warn('nlp.disconnected', { reason })
      this.skills.clear()
      this.configs.clear()
      this.changed()
      // socket.io leaves reconnecting to us when the broker itself ended the connection (a restart, say).
      if (reason === 'io server disconnect') setTimeout(() => this.socket === socket && socket.connect(), this.config.reconnectDelayMs)
    })
    socket.on('connect_error', (error) => this.log.debug('nlp.connect_failed', { error: error.message }))
    socket.on('skillUpdate', (update: unknown) => this.updateSkills(update))
    socket.on('skillConfig', (update: unknown) => {
      const parsed = skillConfig.safeParse(update)
      if (!parsed.success) return this.log.warn('nlp.bad_message', { event: 'skillConfig' })
      this.configs.set(parsed.data.name, parsed.data)
    })
    socket.on('skillResults', (results: unknown) => {
      const parsed = skillResults.safeParse(results)
      if (!parsed.success) return this.log.warn('nlp.bad_message', { event: 'skillResults' })
      const { id, data, error } = parsed.data
      const pending = this.pending.get(id)
      if (!pending) return this.log.debug('nlp.results_unclaimed', { id })
      pending.settle({ data: data ?? null, error: error === undefined || error === null || error === false ? null : String(error) })
    })
    this.socket = socket
  }

  get connected(): boolean {
    return this.socket?.connected ?? false
  }

  /** The skills the broker runs now (none while it is unreachable). */
  skillList(): BrokerSkill[] {
    return [...this.skills.values()]
  }

  skillConfig(name: string): Record<string, unknown> | null {
    return this.configs.get(name) ?? null
  }

  /** Runs `listener` when the connection comes or goes, or the skills change. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener)
  }

  /** Sends skill `name` with `data` and resolves with the broker's outcome; ServiceUnavailableError when it is unreachable, ServiceTimeoutError after the last attempt. */
  request(name: string, data: Record<string, unknown>, { clientId, signal }: { clientId: string; signal?: AbortSignal }): Promise<SkillOutcome> {
    const socket = this.socket
    if (!socket?.connected) return Promise.reject(new ServiceUnavailableError('the NLP broker is not reachable now; try again later'))
    const id = randomUUID()
    const { requestTimeoutMs: timeoutMs, requestAttempts: attempts } = this.config
    return new Promise<SkillOutcome>((resolve, reject) => {
      let attempt = 0
      let timer: NodeJS.Timeout | undefined
      const abandon = () => settle(new SkillRequestCancelled())
      const settle = (outcome: SkillOutcome | Error) => {
        clearTimeout(timer)
        this.pending.delete(id)
        signal?.removeEventListener('abort', abandon)
        if (outcome instanceof Error) reject(outcome)
        else resolve(outcome)
      }
      const send = () => {
        attempt += 1
        socket.emit('skillRequest', { id, name, data, clientId })
        timer = setTimeout(() => {
          if (attempt < attempts) {
            this.log.info('nlp.request_retried', { skill: name, attempt })
            return send()
          }
          settle(new ServiceTimeoutError(`the NLP broker sent no results for skill "${name}" in ${attempts} attempt(s) of ${timeoutMs} ms each; try again later`))
        }, timeoutMs)
      }
      if (signal?.aborted) return reject(new SkillRequestCancelled())
      signal?.addEventListener('abort', abandon)
      this.pending.set(id, { settle })
      send()
    })
  }

  /** Disconnects; requests still waiting fail as unavailable, saying `why`. */
  close(why = 'the server is stopping'): void {
    this.socket?.disconnect()
    this.socket = null
    for (const pending of [...this.pending.values()]) pending.settle(new ServiceUnavailableError(why))
  }

  /** The broker's `skillUpdate`: skills with no workers left go, the others are (re)placed and their configurations asked for. */
  private updateSkills(update: unknown): void {
    const parsed = z.array(brokerSkill).safeParse(update)
    if (!parsed.success) return this.log.warn('nlp.bad_message', { event: 'skillUpdate' })
    for (const skill of parsed.data) {
      if (skill.nodes > 0) {
        this.skills.set(skill.name, skill)
        this.socket?.emit('skillGetConfig', { name: skill.name })
      } else {
        this.skills.delete(skill.name)
        this.configs.delete(skill.name)
      }
    }
    this.changed()
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener()
  }
}
