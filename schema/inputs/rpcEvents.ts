import type { z } from 'zod'

/**
 * The input schema of every RPC event, by event name: the server validates calls with them and
 * the client SDK takes its argument types from them.
 */
export const rpcInputs = {} as const satisfies Record<string, z.ZodType>

export type RpcEventName = keyof typeof rpcInputs
/** What a caller passes to `event` (before defaults are applied). */
export type RpcInput<E extends RpcEventName> = z.input<(typeof rpcInputs)[E]>
