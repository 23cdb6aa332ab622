import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Logger } from '../../sync/index.js'
import { failureAnswer } from '../answers.js'
import type { SessionStore } from '../auth/sessions.js'
import { tokenFromContext } from '../auth/tokens.js'
import { jsonBody } from '../http/body.js'
import type { RpcRegistry } from './registry.js'

/** `POST /rpc/<event>` with a JSON body: the same calls as the events websocket, one per request. */
export function rpcRoutes(rpc: RpcRegistry, sessions: SessionStore, maxBodyBytes: number, log: Logger): Hono {
  const app = new Hono()
  // The same ceiling as an events-socket frame, checked while reading, so no call buffers more.
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => c.json({ success: false, message: `request body larger than the limit of ${maxBodyBytes} bytes` }, 413),
    }),
  )
  app.post('/:event', async (c) => {
    let data: unknown
    try {
      data = await jsonBody(c)
    } catch (error) {
      const { status, answer } = failureAnswer(error, log, 'rpc body')
      return c.json(answer, status as 400)
    }
    const { answer, status } = await rpc.call(c.req.param('event'), data, { user: sessions.resolve(tokenFromContext(c)), client: null })
    return c.json(answer, status as 200)
  })
  return app
}
