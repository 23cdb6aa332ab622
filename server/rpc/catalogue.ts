import { z } from 'zod'
import { rpcOutputs } from '../../schema/index.js'
import type { EventAccess, RpcRegistry } from './registry.js'

/** One event as `GET /rpc` lists it. */
export interface CatalogueEntry {
  event: string
  /** JSON Schema of the input, from the zod schema the registry validates with. */
  input: unknown
  /** JSON Schema of `data` in a successful answer; null where no answer type is declared. */
  output: unknown
  access: EventAccess
  scope: string | null
  pushes: readonly string[]
  transaction: boolean
}

// Refinements and transforms have no JSON Schema form; they are listed as "any" rather than failing the whole catalogue.
const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' })

/**
 * The machine-readable catalogue of every RPC event, built from the registry itself, so it cannot
 * list an event the server does not answer or miss one it does.
 */
export function buildCatalogue(rpc: RpcRegistry): CatalogueEntry[] {
  const outputs: Record<string, z.ZodType | undefined> = rpcOutputs
  return [...rpc.events()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([event, definition]) => {
      const output = outputs[event]
      return {
        event,
        input: toJsonSchema(definition.schema, 'input'),
        output: output ? toJsonSchema(output, 'output') : null,
        access: definition.access,
        scope: definition.scope,
        pushes: definition.pushes,
        transaction: definition.transaction,
      }
    })
}
