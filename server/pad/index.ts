/**
 * The protocol pad's HTTP side: the `/auth_session` entry link, the pad page and its browser
 * bundle (`clients/pad/`). Sessions themselves belong to the rooms; this module only asks
 * `describeSession` what one grants.
 */
export type { PadRouteDeps, PadSessionView } from './types.js'
export { padSessionCookie } from './cookie.js'
export { padRoutes } from './routes.js'
