import type { ConnectionGrant, UpgradeCredentials } from '../../sync/index.js'
import type { RoomStore } from '../rooms/index.js'
import { padSessionCookie } from './cookie.js'

/**
 * What a sync upgrade to `pad:<roomId>` gets: the access of the pad session given as the `token`
 * query parameter (non-browser clients) or in the room's pad cookie, attributed to the participant
 * and revocable per participant; its cursor must carry the participant's name. Null without a
 * live session of that room.
 */
export function padGrant(store: RoomStore) {
  return async (roomId: string, credentials: UpgradeCredentials): Promise<ConnectionGrant | null> => {
    const secret = credentials.queryToken ?? credentials.cookie(padSessionCookie(roomId))
    const session = secret ? await store.padSession(roomId, secret) : null
    return session
      ? { access: session.access, userId: session.participantId, revocationKey: session.participantId, presenceName: session.displayName, sessionStartedAt: session.startedAt.getTime() }
      : null
  }
}
