import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { FolioClient, RpcArgsIn, RpcDataIn } from '../../clients/index.js'

// The shared `rpcInputs` map is filled by the server's feature folders; a map of the same shape shows the typing.
const inputs = {
  documentGet: z.strictObject({ documentId: z.number().int(), history: z.boolean().default(false) }),
  appInit: z.strictObject({}).optional(),
}
type Inputs = typeof inputs

describe('rpc argument types', () => {
  it('come from the zod input schema for events in the map', () => {
    expectTypeOf<RpcDataIn<Inputs, 'documentGet'>>().toEqualTypeOf<{ documentId: number; history?: boolean | undefined }>()
    expectTypeOf<RpcArgsIn<Inputs, 'documentGet'>>().toEqualTypeOf<[data: { documentId: number; history?: boolean | undefined }]>()
    // An optional input may be left out.
    expectTypeOf<RpcArgsIn<Inputs, 'appInit'>>().toEqualTypeOf<[data?: Record<string, never> | undefined]>()
  })

  it('are unknown, and optional, for any other event name', () => {
    expectTypeOf<RpcDataIn<Inputs, 'somethingElse'>>().toBeUnknown()
    expectTypeOf<RpcArgsIn<Inputs, 'somethingElse'>>().toEqualTypeOf<[data?: unknown]>()
    expectTypeOf<FolioClient['rpc']>().toBeCallableWith('anyEvent', { any: 'data' })
    expectTypeOf<FolioClient['rpc']>().toBeCallableWith('anyEvent')
  })
})
