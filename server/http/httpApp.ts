import { Hono } from 'hono'
import type { Logger } from '../../sync/index.js'
import { appRoutes } from '../app/index.js'
import { failureAnswer } from '../answers.js'
import { crossOrigin } from './crossOrigin.js'
import type { OriginPolicy } from './OriginPolicy.js'
import { secureAnswers } from './secureAnswers.js'

/**
 * The Hono app every route is mounted on. Every answer carries the secure headers, the origin
 * policy and CORS run before any route, and whatever a route or middleware throws is answered by
 * `failureAnswer` as `{success: false, message}` with its status (a route app with its own
 * `onError`, the pad's and the web app's pages, answers for itself). The web app's pages come with
 * it: they take only their own paths, so the features mounted later keep theirs.
 */
export function createHttpApp(origins: OriginPolicy, log: Logger): Hono {
  const app = new Hono()
  app.onError((error, c) => {
    const { status, answer, headers } = failureAnswer(error, log, c.req.path)
    return c.json(answer, status, headers)
  })
  app.use('*', secureAnswers())
  app.use('*', crossOrigin(origins, log))
  app.route('/', appRoutes(log))
  return app
}
