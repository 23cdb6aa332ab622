import type { Hono } from 'hono'
import { padDocName, roomIdSchema } from '../../schema/index.js'
import type { DocHistory } from '../../sync/index.js'
import type { FolioDatabase } from '../../schema/db/index.js'
import { requireUser } from '../access/index.js'
import type { SessionStore } from '../auth/index.js'
import { docHistoryRoutes } from '../history/index.js'
import { parseQuery } from '../http/parseQuery.js'
import { readableRoom, type RoomStore } from '../rooms/index.js'

/**
 * `GET /rooms/:roomId/pad/history|content|authorship`: the protocol pad's log like any document's,
 * for the room's owner, admins and participants. Pad updates are attributed to participant ids;
 * the authorship answer names them (`participants: {id: {displayName, userId}}`).
 */
export function padHistoryRoutes(history: DocHistory, store: RoomStore, sessions: SessionStore, db: FolioDatabase): Hono {
  return docHistoryRoutes(history, '/:roomId/pad', {
    signedIn: requireUser(sessions, db),
    // `describeAuthors` answers at once, so who the participants are is read here, with the access check.
    target: async (c) => {
      const roomId = parseQuery(roomIdSchema, c.req.param('roomId'), 'roomId')
      await readableRoom(store, c.var.can, roomId)
      return { roomId, participants: await store.participantNames(roomId) }
    },
    docName: ({ roomId }) => padDocName(roomId),
    describeAuthors: ({ participants }) => ({ participants }),
  })
}
