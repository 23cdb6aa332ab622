import type { Context, Env } from 'hono'

/**
 * A route handler whose result is answered as `{success: true, data}`; a Response it returns (a
 * CSV file, say) is sent as it is. What it throws is answered by `app.onError` (`http/httpApp.ts`).
 */
export function dataRoute<E extends Env>(handler: (c: Context<E>) => unknown) {
  return async (c: Context<E>): Promise<Response> => {
    const data = await handler(c)
    return data instanceof Response ? data : c.json({ success: true, data })
  }
}
