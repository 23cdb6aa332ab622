import { randomUUID } from 'node:crypto'
import { and, desc, eq, inArray, isNull, sum } from 'drizzle-orm'
import { type PadAccess, type ParticipantRole } from '../../schema/index.js'
import { asset, type FolioDatabase, padSession, room, roomGuestLink, roomParticipant } from '../../schema/db/index.js'
import { newSecret, secretDigest } from '../auth/index.js'

export type RoomRow = typeof room.$inferSelect
export type ParticipantRow = typeof roomParticipant.$inferSelect
export type AssetRow = typeof asset.$inferSelect

/** A pad session just made: the secret goes into the participant's URL, only its digest is stored. */
export interface NewPadSession {
  participantId: string
  secret: string
  access: PadAccess
}

/** What a live pad session grants: who the participant is, in which room, with which access. */
export interface PadSessionView {
  roomId: string
  roomTitle: string
  participantId: string
  displayName: string
  access: 'write' | 'read'
}

/** Rooms, participations, guest links, pad sessions and assets in SQLite. Synchronous, like better-sqlite3. */
export class RoomStore {
  constructor(private readonly db: FolioDatabase) {}

  createRoom(title: string, createdBy: number): RoomRow {
    return this.db.insert(room).values({ id: randomUUID(), title, createdBy }).returning().get()
  }

  room(roomId: string): RoomRow | null {
    return this.db.select().from(room).where(eq(room.id, roomId)).get() ?? null
  }

  /** Deletes the room with its participations, guest links, sessions and asset rows (foreign keys cascade). */
  deleteRoom(roomId: string): void {
    this.db.delete(room).where(eq(room.id, roomId)).run()
  }

  /**
   * At start: no signaling socket survives a restart, so participations still open (the process
   * died without ending them) end now, with their pad sessions.
   */
  endStaleParticipations(): number {
    return this.db.transaction(() => {
      this.db.delete(padSession).run()
      return this.db.update(roomParticipant).set({ leftAt: new Date(), leftReason: 'timeout' }).where(isNull(roomParticipant.leftAt)).run().changes
    })
  }

  /** A new guest link token for the room; only its digest is kept. */
  createGuestLink(roomId: string, createdBy: number): string {
    const token = newSecret()
    this.db.insert(roomGuestLink).values({ tokenHash: secretDigest(token), roomId, createdBy }).run()
    return token
  }

  /** Whether `token` is a guest link of `roomId`. */
  isGuestLink(roomId: string, token: string): boolean {
    return this.db.select({ roomId: roomGuestLink.roomId }).from(roomGuestLink).where(eq(roomGuestLink.tokenHash, secretDigest(token))).get()?.roomId === roomId
  }

  /** The user's latest participation in the room, to give back the role and pad access they had. */
  lastParticipation(roomId: string, userId: number): ParticipantRow | null {
    return (
      this.db
        .select()
        .from(roomParticipant)
        .where(and(eq(roomParticipant.roomId, roomId), eq(roomParticipant.userId, userId)))
        .orderBy(desc(roomParticipant.joinedAt))
        .limit(1)
        .get() ?? null
    )
  }

  /** Whether the user ever joined the room. */
  hasParticipated(roomId: string, userId: number): boolean {
    return this.lastParticipation(roomId, userId) !== null
  }

  /** Every participation of the room by id: who the ids in the pad's log are. */
  participantNames(roomId: string): Record<string, { displayName: string; userId: number | null }> {
    const rows = this.db
      .select({ id: roomParticipant.id, displayName: roomParticipant.displayName, userId: roomParticipant.userId })
      .from(roomParticipant)
      .where(eq(roomParticipant.roomId, roomId))
      .all()
    return Object.fromEntries(rows.map(({ id, displayName, userId }) => [id, { displayName, userId }]))
  }

  addParticipant(values: Omit<typeof roomParticipant.$inferInsert, 'id'>): ParticipantRow {
    return this.db
      .insert(roomParticipant)
      .values({ ...values, id: randomUUID() })
      .returning()
      .get()
  }

  /** The participation of `roomId` whose resumption token is `token`, if it is joined or left after `leftSince`. */
  resumableParticipation(roomId: string, token: string, leftSince: Date): ParticipantRow | null {
    const row = this.db
      .select()
      .from(roomParticipant)
      .where(and(eq(roomParticipant.roomId, roomId), eq(roomParticipant.resumptionHash, secretDigest(token))))
      .get()
    return row && (row.leftAt === null || row.leftAt >= leftSince) ? row : null
  }

  /** Opens a left participation again, under the same id. */
  resumeParticipation(participantId: string, values: Pick<ParticipantRow, 'displayName' | 'role' | 'joinedAt' | 'resumptionHash'>): ParticipantRow {
    return this.db
      .update(roomParticipant)
      .set({ ...values, leftAt: null, leftReason: null })
      .where(eq(roomParticipant.id, participantId))
      .returning()
      .get()!
  }

  /** Ends a participation; its pad session ends with it. */
  markLeft(participantId: string, reason: string): void {
    this.db.transaction(() => {
      this.db.update(roomParticipant).set({ leftAt: new Date(), leftReason: reason }).where(eq(roomParticipant.id, participantId)).run()
      this.deleteSessionsOf([participantId])
    })
  }

  setRole(participantId: string, role: ParticipantRole): void {
    this.db.update(roomParticipant).set({ role }).where(eq(roomParticipant.id, participantId)).run()
  }

  /**
   * Gives each participant one new pad session of the given access, replacing the ones they had;
   * with `initialisePad`, also marks the room's pad created. One transaction: all or nothing.
   */
  replaceSessions(roomId: string, sessions: readonly NewPadSession[], initialisePad = false): void {
    this.db.transaction(() => {
      this.deleteSessionsOf(sessions.map((session) => session.participantId))
      for (const { participantId, secret, access } of sessions) {
        this.db.insert(padSession).values({ idHash: secretDigest(secret), roomId, participantId, access }).run()
        this.db.update(roomParticipant).set({ padAccess: access }).where(eq(roomParticipant.id, participantId)).run()
      }
      if (initialisePad) this.db.update(room).set({ padCreatedAt: new Date() }).where(eq(room.id, roomId)).run()
    })
  }

  /** The live session `secret` grants in `roomId`, or null. */
  padSession(roomId: string, secret: string): PadSessionView | null {
    const row = this.db
      .select({
        roomId: padSession.roomId,
        roomTitle: room.title,
        participantId: padSession.participantId,
        displayName: roomParticipant.displayName,
        access: padSession.access,
      })
      .from(padSession)
      .innerJoin(room, eq(room.id, padSession.roomId))
      .innerJoin(roomParticipant, eq(roomParticipant.id, padSession.participantId))
      .where(and(eq(padSession.idHash, secretDigest(secret)), eq(padSession.roomId, roomId)))
      .get()
    return row ?? null
  }

  /** Bytes of assets the room holds, for its storage quota. */
  storageUsed(roomId: string): number {
    const row = this.db.select({ total: sum(asset.size) }).from(asset).where(eq(asset.roomId, roomId)).get()
    return Number(row?.total ?? 0)
  }

  addAsset(values: typeof asset.$inferInsert): void {
    this.db.insert(asset).values(values).run()
  }

  asset(assetId: string): AssetRow | null {
    return this.db.select().from(asset).where(eq(asset.id, assetId)).get() ?? null
  }

  assetsOf(roomId: string): AssetRow[] {
    return this.db.select().from(asset).where(eq(asset.roomId, roomId)).orderBy(asset.createdAt).all()
  }

  private deleteSessionsOf(participantIds: readonly string[]): void {
    if (participantIds.length > 0) this.db.delete(padSession).where(inArray(padSession.participantId, [...participantIds])).run()
  }
}
