import { parseRoomId } from '../../schema/index.js'

/**
 * Session ids are opaque secrets minted by the rooms side; anything printable without spaces is
 * accepted, and the bound keeps a forged link from making us hash or store megabytes.
 */
const sessionIdPattern = /^[\x21-\x7e]{1,512}$/

/** A checked `/auth_session` link. */
export interface AuthSessionLink {
  roomId: string
  sessionId: string
}

/**
 * Checks the query of `/auth_session?sessionID=…&padName=protocol&groupID=<roomId>`, the URL
 * shape OpenTalk's protocol module hands out. Answers the link or what is wrong with it.
 */
export function parseAuthSessionQuery(query: URLSearchParams): { ok: true; link: AuthSessionLink } | { ok: false; problem: string } {
  if (query.get('padName') !== 'protocol') return { ok: false, problem: 'padName must be "protocol".' }
  const roomId = parseRoomId(query.get('groupID') ?? undefined)
  if (roomId === null) return { ok: false, problem: 'groupID must be a room id (a UUID).' }
  const sessionId = query.get('sessionID')
  if (sessionId === null || sessionId === '') return { ok: false, problem: 'sessionID is missing.' }
  if (!sessionIdPattern.test(sessionId)) return { ok: false, problem: 'sessionID is malformed.' }
  return { ok: true, link: { roomId, sessionId } }
}
