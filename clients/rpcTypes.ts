import type { z } from 'zod'
import type { rpcInputs } from '../schema/inputs/rpcEvents.js'
import type { rpcOutputs } from '../schema/outputs/index.js'

/** `data` of `event` for an event -> zod schema map: the schema's input type for events in the map, `unknown` for any other name. */
export type RpcDataIn<Inputs, E extends string> = E extends keyof Inputs ? (Inputs[E] extends z.ZodType ? z.input<Inputs[E]> : unknown) : unknown

/** The data argument for an event -> schema map, optional when the event's input may be left out. */
export type RpcArgsIn<Inputs, E extends string> = undefined extends RpcDataIn<Inputs, E> ? [data?: RpcDataIn<Inputs, E>] : [data: RpcDataIn<Inputs, E>]

/** What `rpc(event, data)` takes: typed from the shared `rpcInputs` schemas, `unknown` for events not in them. */
export type RpcData<E extends string> = RpcDataIn<typeof rpcInputs, E>

/** The data argument of `rpc(event, …)`. */
export type RpcArgs<E extends string> = RpcArgsIn<typeof rpcInputs, E>

/** What `event` answers for an event -> zod schema map: the schema's output type for events in the map, `unknown` for any other name. */
export type RpcResultIn<Outputs, E extends string> = E extends keyof Outputs ? (Outputs[E] extends z.ZodType ? z.output<Outputs[E]> : unknown) : unknown

/** What `rpc(event, …)` resolves: typed from the shared `rpcOutputs` schemas, `unknown` for events not in them. */
export type RpcResult<E extends string> = RpcResultIn<typeof rpcOutputs, E>
