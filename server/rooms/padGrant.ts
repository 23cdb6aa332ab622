import type { ConnectionGrant, UpgradeCredentials } from '../../sync/index.js'
import { padSessionCookie } from '../pad/index.js'
import type { RoomStore } from './RoomStore.js'

/**
 * What a sync upgrade to `pad:<roomId>` gets: the access of the pad session in the room's pad
 * cookie (or the `token` query parameter, for non-browser clients), attributed to the participant,
 * and revocable through the session's key. Null without a live session of that room.
 */
export function padGrant(store: RoomStore) {
  return (roomId: string, credentials: UpgradeCredentials): ConnectionGrant | null => {
    const secret = credentials.cookie(padSessionCookie(roomId)) ?? credentials.queryToken
    const session = secret ? store.padSession(roomId, secret) : null
    return session ? { access: session.access, userId: session.participantId, sessionKey: session.sessionKey } : null
  }
}
