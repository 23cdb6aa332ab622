import { randomUUID } from 'node:crypto'
import { and, desc, eq, inArray, isNull, sum } from 'drizzle-orm'
import { type PadAccess, type ParticipantRole } from '../../schema/index.js'
import { asset, type FolioDatabase, padSession, room, roomGuestLink, roomParticipant } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'
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
  /** When the pad session was created: the earliest typing time its sync connections may claim. */
  startedAt: Date
}

/**
 * Rooms, participations, guest links, pad sessions and assets, on awaited queries. Writes fall in
 * two kinds:
 * - those of the signaling side (participations, roles, pad sessions, the start-up clean-up) each
 *   take one write turn of the connection's `SerialTransactions`, so none lands inside an RPC's
 *   open transaction (and is rolled back with it);
 * - those of RPC handlers defined with `transaction: true` (`createRoom`, `deleteRoom`,
 *   `createGuestLink`) are plain statements inside the caller's transaction, where a turn of
 *   their own would be refused as nested. So is `addAsset`, inside `RoomAssets.save`'s turn.
 */
export class RoomStore {
  private readonly turns: SerialTransactions

  constructor(private readonly db: FolioDatabase) {
    this.turns = SerialTransactions.of(db)
  }

  /** In the caller's transaction (`roomCreate`). */
  async createRoom(title: string, createdBy: number): Promise<RoomRow> {
    const [row] = await this.db.insert(room).values({ id: randomUUID(), title, createdBy }).returning()
    return row!
  }

  async room(roomId: string): Promise<RoomRow | null> {
    const [row] = await this.db.select().from(room).where(eq(room.id, roomId)).limit(1)
    return row ?? null
  }

  /** Deletes the room with its participations, guest links, sessions and asset rows (foreign keys cascade); in the caller's transaction (`roomDelete`). */
  async deleteRoom(roomId: string): Promise<void> {
    await this.db.delete(room).where(eq(room.id, roomId))
  }

  /**
   * At start: no signaling socket survives a restart, so participations still open (the process
   * died without ending them) end now, with their pad sessions. One write turn.
   */
  endStaleParticipations(): Promise<number> {
    return this.turns.transaction(() => this.endOpenParticipations('timeout'))
  }

  /**
   * At shutdown, after the engine's last write turn: every participation still open ends, with
   * its pad sessions, including one whose join was stored but not yet announced. The connection's
   * turns refuse transactions from then on and none can be open, so these are plain statements;
   * a crash between them leaves what the next start ends anyway.
   */
  endAllParticipations(): Promise<number> {
    return this.endOpenParticipations('quit')
  }

  /** A new guest link token for the room; only its digest is kept. In the caller's transaction (`roomGuestLinkCreate`). */
  async createGuestLink(roomId: string, createdBy: number): Promise<string> {
    const token = newSecret()
    await this.db.insert(roomGuestLink).values({ tokenHash: secretDigest(token), roomId, createdBy })
    return token
  }

  /** Whether `token` is a guest link of `roomId`. */
  async isGuestLink(roomId: string, token: string): Promise<boolean> {
    const [row] = await this.db.select({ roomId: roomGuestLink.roomId }).from(roomGuestLink).where(eq(roomGuestLink.tokenHash, secretDigest(token))).limit(1)
    return row?.roomId === roomId
  }

  /** The user's latest participation in the room, to give back the role and pad access they had. */
  async lastParticipation(roomId: string, userId: number): Promise<ParticipantRow | null> {
    const [row] = await this.db
      .select()
      .from(roomParticipant)
      .where(and(eq(roomParticipant.roomId, roomId), eq(roomParticipant.userId, userId)))
      .orderBy(desc(roomParticipant.joinedAt))
      .limit(1)
    return row ?? null
  }

  /** Whether the user ever joined the room. */
  async hasParticipated(roomId: string, userId: number): Promise<boolean> {
    return (await this.lastParticipation(roomId, userId)) !== null
  }

  /** Every participation of the room by id: who the ids in the pad's log are. */
  async participantNames(roomId: string): Promise<Record<string, { displayName: string; userId: number | null }>> {
    const rows = await this.db
      .select({ id: roomParticipant.id, displayName: roomParticipant.displayName, userId: roomParticipant.userId })
      .from(roomParticipant)
      .where(eq(roomParticipant.roomId, roomId))
    return Object.fromEntries(rows.map(({ id, displayName, userId }) => [id, { displayName, userId }]))
  }

  /** One write turn. */
  addParticipant(values: Omit<typeof roomParticipant.$inferInsert, 'id'>): Promise<ParticipantRow> {
    return this.turns.transaction(async () => {
      const [row] = await this.db
        .insert(roomParticipant)
        .values({ ...values, id: randomUUID() })
        .returning()
      return row!
    })
  }

  /** The participation of `roomId` whose resumption token is `token`, if it is joined or left after `leftSince`. */
  async resumableParticipation(roomId: string, token: string, leftSince: Date): Promise<ParticipantRow | null> {
    const [row] = await this.db
      .select()
      .from(roomParticipant)
      .where(and(eq(roomParticipant.roomId, roomId), eq(roomParticipant.resumptionHash, secretDigest(token))))
      .limit(1)
    return row && (row.leftAt === null || row.leftAt >= leftSince) ? row : null
  }

  /** Opens a left participation again, under the same id. One write turn. */
  resumeParticipation(participantId: string, values: Pick<ParticipantRow, 'displayName' | 'role' | 'joinedAt' | 'resumptionHash'>): Promise<ParticipantRow> {
    return this.turns.transaction(async () => {
      const [row] = await this.db
        .update(roomParticipant)
        .set({ ...values, leftAt: null, leftReason: null })
        .where(eq(roomParticipant.id, participantId))
        .returning()
      return row!
    })
  }

  /** Ends a participation; its pad session ends with it. One write turn. */
  markLeft(participantId: string, reason: string): Promise<void> {
    return this.turns.transaction(async () => {
      await this.db.update(roomParticipant).set({ leftAt: new Date(), leftReason: reason }).where(eq(roomParticipant.id, participantId))
      await this.deleteSessionsOf([participantId])
    })
  }

  /** One write turn. */
  setRole(participantId: string, role: ParticipantRole): Promise<void> {
    return this.turns.transaction(async () => {
      await this.db.update(roomParticipant).set({ role }).where(eq(roomParticipant.id, participantId))
    })
  }

  /**
   * Gives each participant one new pad session of the given access, replacing the ones they had;
   * with `initialisePad`, also marks the room's pad created. One write turn: all or nothing.
   */
  replaceSessions(roomId: string, sessions: readonly NewPadSession[], initialisePad = false): Promise<void> {
    return this.turns.transaction(async () => {
      await this.deleteSessionsOf(sessions.map((session) => session.participantId))
      for (const { participantId, secret, access } of sessions) {
        await this.db.insert(padSession).values({ idHash: secretDigest(secret), roomId, participantId, access })
        await this.db.update(roomParticipant).set({ padAccess: access }).where(eq(roomParticipant.id, participantId))
      }
      if (initialisePad) await this.db.update(room).set({ padCreatedAt: new Date() }).where(eq(room.id, roomId))
    })
  }

  /** The live session `secret` grants in `roomId`, or null. */
  async padSession(roomId: string, secret: string): Promise<PadSessionView | null> {
    const [row] = await this.db
      .select({
        roomId: padSession.roomId,
        roomTitle: room.title,
        participantId: padSession.participantId,
        displayName: roomParticipant.displayName,
        access: padSession.access,
        startedAt: padSession.createdAt,
      })
      .from(padSession)
      .innerJoin(room, eq(room.id, padSession.roomId))
      .innerJoin(roomParticipant, eq(roomParticipant.id, padSession.participantId))
      .where(and(eq(padSession.idHash, secretDigest(secret)), eq(padSession.roomId, roomId)))
      .limit(1)
    return row ?? null
  }

  /** Bytes of assets the room holds, for its storage quota. */
  async storageUsed(roomId: string): Promise<number> {
    const [row] = await this.db.select({ total: sum(asset.size) }).from(asset).where(eq(asset.roomId, roomId))
    return Number(row?.total ?? 0)
  }

  /** In the caller's write turn (`RoomAssets.save`, with the quota check). */
  async addAsset(values: typeof asset.$inferInsert): Promise<void> {
    await this.db.insert(asset).values(values)
  }

  async asset(assetId: string): Promise<AssetRow | null> {
    const [row] = await this.db.select().from(asset).where(eq(asset.id, assetId)).limit(1)
    return row ?? null
  }

  async assetsOf(roomId: string): Promise<AssetRow[]> {
    return await this.db.select().from(asset).where(eq(asset.roomId, roomId)).orderBy(asset.createdAt)
  }

  /** Ends every open participation as `reason`, with every pad session; how many ended. */
  private async endOpenParticipations(reason: 'quit' | 'timeout'): Promise<number> {
    await this.db.delete(padSession)
    const ended = await this.db
      .update(roomParticipant)
      .set({ leftAt: new Date(), leftReason: reason })
      .where(isNull(roomParticipant.leftAt))
      .returning({ id: roomParticipant.id })
    return ended.length
  }

  private async deleteSessionsOf(participantIds: readonly string[]): Promise<void> {
    if (participantIds.length > 0) await this.db.delete(padSession).where(inArray(padSession.participantId, [...participantIds]))
  }
}
