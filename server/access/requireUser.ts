import { createMiddleware } from 'hono/factory'
import type { FolioDatabase } from '../../schema/db/index.js'
import { type SessionStore, type SessionUser, signedInUser } from '../auth/index.js'
import { Permissions } from './Permissions.js'

/** What `requireUser` puts in `c.var`: the signed-in user and their permissions for this request. */
export interface SignedIn {
  Variables: { user: SessionUser; can: Permissions }
}

/** Middleware for routes only signed-in users reach: a request without a live session token is answered 401 before the route runs. */
export function requireUser(sessions: SessionStore, db: FolioDatabase) {
  return createMiddleware<SignedIn>(async (c, next) => {
    const user = await signedInUser(c, sessions)
    c.set('user', user)
    c.set('can', await Permissions.load(db, user))
    await next()
  })
}
