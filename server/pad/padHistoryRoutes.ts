import type { Hono } from 'hono'
import { padDocName, roomIdSchema } from '../../schema/index.js'
import type { DocHistory, FolioDatabase, Logger } from '../../sync/index.js'
import { Permissions } from '../access/index.js'
import type { SessionStore } from '../auth/index.js'
import { authorizedRoute, docHistoryRoutes, parseQuery } from '../history/routes.js'
import { readableRoom, type RoomStore } from '../rooms/index.js'

/**
 * `GET /rooms/:roomId/pad/history|content|authorship`: the protocol pad's log like any document's,
 * for the room's owner, admins and participants. Pad updates are attributed to participant ids;
 * the authorship answer names them (`participants: {id: {displayName, userId}}`).
 */
export function padHistoryRoutes(history: DocHistory, store: RoomStore, sessions: SessionStore, db: FolioDatabase, log: Logger): Hono {
  const respond = authorizedRoute(sessions, log, (c, user) => {
    const roomId = parseQuery(roomIdSchema, c.req.param('roomId'), 'roomId')
    readableRoom(store, new Permissions(db, user), roomId)
    return { roomId }
  })
  return docHistoryRoutes(
    history,
    '/:roomId/pad',
    respond,
    ({ roomId }) => padDocName(roomId),
    ({ roomId }) => ({ participants: store.participantNames(roomId) }),
  )
}
