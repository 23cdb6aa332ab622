import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { z } from 'zod'
import type { Logger } from '../../sync/index.js'
import { failureAnswer } from '../answers.js'
import { type SessionStore, tokenFromContext } from '../auth/index.js'
import { ForbiddenError, NotAuthenticatedError, NotFoundError } from '../errors.js'
import { parseQuery } from '../history/routes.js'
import { padSessionCookie } from '../pad/index.js'
import type { RoomAssets } from './RoomAssets.js'
import type { RoomStore } from './RoomStore.js'

const assetId = z.uuid({ error: 'asset ids are UUIDs' })

/**
 * `GET /assets/<id>`: a room's file (a protocol PDF), for the room's participants only: signed-in
 * users who joined the room (its owner always), and guests holding a live pad session of the room.
 */
export function assetRoutes(assets: RoomAssets, store: RoomStore, sessions: SessionStore, log: Logger): Hono {
  const app = new Hono()
  app.get('/:id', async (c) => {
    try {
      const id = parseQuery(assetId, c.req.param('id'), 'id')
      const asset = await assets.read(id)
      const user = sessions.resolve(tokenFromContext(c))
      const padSecret = asset ? getCookie(c, padSessionCookie(asset.row.roomId)) : undefined
      const guestSession = asset && padSecret ? store.padSession(asset.row.roomId, padSecret) : null
      if (!user && !guestSession) throw new NotAuthenticatedError('sign in, or open the pad link the room gave you, to download its files')
      if (!asset) throw new NotFoundError(`no asset ${id}`)
      const room = store.room(asset.row.roomId)
      const isParticipant = guestSession !== null || (user !== null && (room?.createdBy === user.id || store.hasParticipated(asset.row.roomId, user.id)))
      if (!isParticipant) throw new ForbiddenError("only the room's participants may download its files")
      return c.body(new Uint8Array(asset.bytes), 200, {
        'content-type': 'application/pdf',
        'content-length': String(asset.bytes.byteLength),
        'content-disposition': `attachment; filename="${asset.row.filename}"`,
        'cache-control': 'private, no-store',
      })
    } catch (error) {
      const { status, answer } = failureAnswer(error, log, c.req.path)
      return c.json(answer, status as 400)
    }
  })
  return app
}
