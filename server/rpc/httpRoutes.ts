import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { SessionStore } from '../auth/index.js'
import { tokenFromContext } from '../auth/index.js'
import { PayloadTooLargeError } from '../errors.js'
import { jsonBody } from '../http/body.js'
import { buildCatalogue } from './catalogue.js'
import type { RpcRegistry } from './registry.js'

/**
 * `POST /rpc/<event>` with a JSON body: the same calls as the events websocket, one per request.
 * The caller is resolved here, not by `requireUser`: the registry answers an unknown event (404)
 * before a missing login (401), over HTTP as over the socket. A body that is too large or not JSON
 * is thrown, for `app.onError` to answer.
 */
export function rpcRoutes(rpc: RpcRegistry, sessions: SessionStore, maxBodyBytes: number): Hono {
  const app = new Hono()
  // The same ceiling as an events-socket frame, checked while reading, so no call buffers more.
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new PayloadTooLargeError(`request body larger than the limit of ${maxBodyBytes} bytes`)
      },
    }),
  )
  // Public, as API documentation is: it names events and rules, no data. Built once, on first request, when every feature has defined its events.
  let catalogue: ReturnType<typeof buildCatalogue> | null = null
  app.get('/', (c) => c.json({ events: (catalogue ??= buildCatalogue(rpc)) }))
  app.post('/:event', async (c) => {
    const data = await jsonBody(c)
    const { answer, status, headers } = await rpc.call(c.req.param('event'), data, { user: await sessions.resolve(tokenFromContext(c)), client: null })
    return c.json(answer, status, headers)
  })
  return app
}
