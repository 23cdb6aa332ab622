import type { Context } from 'hono'
import { NotAuthenticatedError } from '../errors.js'
import type { SessionStore, SessionUser } from './sessions.js'
import { tokenFromContext } from './tokens.js'

/** The user whose live session token the request carries (`Authorization: Bearer` or the cookie), or NotAuthenticatedError. */
export async function signedInUser(c: Context, sessions: SessionStore): Promise<SessionUser> {
  const user = await sessions.resolve(tokenFromContext(c))
  if (!user) throw new NotAuthenticatedError()
  return user
}
