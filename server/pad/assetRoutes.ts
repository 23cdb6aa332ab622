import { type Context, Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { z } from 'zod'
import type { FolioDatabase } from '../../schema/db/index.js'
import { Permissions } from '../access/index.js'
import { type SessionStore, tokenFromContext } from '../auth/index.js'
import { NotAuthenticatedError, NotFoundError } from '../errors.js'
import { parseQuery } from '../http/parseQuery.js'
import { readableRoom, type RoomAssets, type RoomStore } from '../rooms/index.js'
import { padSessionCookie } from './cookie.js'

const assetId = z.uuid({ error: 'asset ids are UUIDs' })

/**
 * `GET /assets/<id>`: a room's file (a PDF of its pad), for the room's participants only: signed-in
 * users who may read the room (its owner, admins, everyone who joined it), and guests, by the
 * room's guest link token (`Authorization: Bearer`) or a live pad session of the room (its cookie).
 * Access is checked before any file is read. Guests are let in, so the session is resolved here
 * rather than by `requireUser`.
 */
export function assetRoutes(assets: RoomAssets, store: RoomStore, sessions: SessionStore, db: FolioDatabase): Hono {
  const isGuestOf = async (c: Context, roomId: string, token: string | null): Promise<boolean> => {
    if (token && (await store.isGuestLink(roomId, token))) return true
    const padSecret = getCookie(c, padSessionCookie(roomId))
    return padSecret !== undefined && (await store.padSession(roomId, padSecret)) !== null
  }

  const app = new Hono()
  app.get('/:id', async (c) => {
    const id = parseQuery(assetId, c.req.param('id'), 'id')
    const token = tokenFromContext(c)
    const user = await sessions.resolve(token)
    const row = await store.asset(id)
    const guest = !user && row !== null && (await isGuestOf(c, row.roomId, token))
    if (!user && !guest) throw new NotAuthenticatedError('sign in, or use the room’s guest link or pad link, to download its files')
    if (!row) throw new NotFoundError(`no asset ${id}`)
    if (user) await readableRoom(store, await Permissions.load(db, user), row.roomId)
    const bytes = await assets.bytesOf(row)
    if (!bytes) throw new NotFoundError(`the file of asset ${id} is missing from the file store`)
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': 'application/pdf',
      'content-length': String(bytes.byteLength),
      'content-disposition': `attachment; filename="${row.filename}"`,
      'cache-control': 'private, no-store',
    })
  })
  return app
}
