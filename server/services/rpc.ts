import { rpcInputs, type ServiceName } from '../../schema/index.js'
import type { RpcRegistry } from '../rpc/index.js'
import type { Service } from './Service.js'

/** Whose calls each service takes, for the catalogue: the events are open to every signed-in user, the services check. */
const scope = 'NLPService: any signed-in user, serviceReplacement ids only those the caller may read; BackgroundTaskService: administrators'

/**
 * The service events, dispatching `{service, data}` (and `command`) to the registered service of
 * that name. The events themselves are open to every signed-in user, as in the original; each
 * service checks its own rights (the background tasks are for admins) and the inputs it is handed.
 */
export function registerServiceEvents(rpc: RpcRegistry, { services }: { services: readonly Service[] }): void {
  const byName = new Map<ServiceName, Service>(services.map((service) => [service.name, service]))
  // The input schema names only the services there are; every one of them is registered at start.
  const find = (name: ServiceName): Service => byName.get(name)!

  rpc.define('serviceConnect', rpcInputs.serviceConnect, ({ service, data }, ctx) => find(service).connect(ctx, data), { scope, pushes: ['serviceRefresh'] })
  rpc.define('serviceDisconnect', rpcInputs.serviceDisconnect, ({ service, data }, ctx) => find(service).disconnect(ctx, data), { scope })
  rpc.define('serviceRequest', rpcInputs.serviceRequest, ({ service, data }, ctx) => find(service).request(ctx, data), { scope, pushes: ['serviceRefresh'] })
  rpc.define('serviceCommand', rpcInputs.serviceCommand, ({ service, command, data }, ctx) => find(service).command(ctx, command, data), {
    scope,
    // startPreprocessing: its progress to the caller, each stored result to document_data's subscribers.
    pushes: ['serviceRefresh', 'progressUpdate', 'document_dataRefresh'],
  })
}
