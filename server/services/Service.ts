import type { ServiceName, ServiceRefresh } from '../../schema/index.js'
import { InvalidInputError } from '../errors.js'
import type { EventClient, EventHub } from '../events/index.js'
import type { RpcContext } from '../rpc/index.js'

/** What a service's part of a call gets: the call's context and the `data` the caller passed. */
export type ServiceData = Record<string, unknown> | undefined

/**
 * A service the service events dispatch to by name (`serviceConnect`, `serviceDisconnect`,
 * `serviceRequest`, `serviceCommand`). Each checks its own rights and its data's shape, and answers
 * later through `serviceRefresh` pushes to the sockets it keeps.
 */
export interface Service {
  readonly name: ServiceName
  connect(ctx: RpcContext, data: ServiceData): Promise<null>
  disconnect(ctx: RpcContext, data: ServiceData): Promise<null>
  request(ctx: RpcContext, data: ServiceData): Promise<unknown>
  command(ctx: RpcContext, command: string, data: ServiceData): Promise<unknown>
  /** Stops what runs in the background; called once when the server stops. */
  close(): Promise<void>
}

/** The caller's events socket, which a service pushes its answers to; over HTTP there is none to push to. */
export function callerSocket(ctx: RpcContext, service: ServiceName, what: string): EventClient {
  if (!ctx.client) throw new InvalidInputError(`${what} of ${service} answers by pushes: call it over the events socket (/events), not over HTTP`)
  return ctx.client
}

/** The events sockets connected to one service: the ones its pushes for everyone go to. A socket leaves when it closes. */
export class ServiceClients {
  private readonly clients = new Set<EventClient>()

  constructor(
    private readonly service: ServiceName,
    hub: EventHub,
  ) {
    hub.onClose((client) => this.clients.delete(client))
  }

  add(client: EventClient): void {
    this.clients.add(client)
  }

  remove(client: EventClient): void {
    this.clients.delete(client)
  }

  /** Pushes `serviceRefresh {service, type, data}` to one socket. */
  send(client: EventClient, type: ServiceRefresh['type'], data: unknown): void {
    const refresh: ServiceRefresh = { service: this.service, type, data }
    client.send('serviceRefresh', refresh)
  }

  /** Pushes `serviceRefresh` to every connected socket. */
  sendAll(type: ServiceRefresh['type'], data: unknown): void {
    for (const client of this.clients) this.send(client, type, data)
  }
}
