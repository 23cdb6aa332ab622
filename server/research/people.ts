import { type FolioDatabase, studySession, user } from '../../schema/db/index.js'
import { asc, inArray } from 'drizzle-orm'

/**
 * Who appears in a research export and as whom. Only users who accepted data sharing are in it
 * (the study owner, who runs the study, always is). In an anonymized study every user id becomes a
 * pseudonym: participants `P001`, `P002`, … numbered by their first session in the export's scope
 * (a study, or all studies of a project), counting deleted sessions too, so a participant keeps
 * their pseudonym in every later export and across the studies of a project; the owner is `owner`,
 * anyone else `other`.
 */
export class ExportPeople {
  private constructor(
    private readonly consenting: ReadonlySet<string>,
    private readonly pseudonyms: ReadonlyMap<string, string>,
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  static async load(db: FolioDatabase, studyIds: readonly number[]): Promise<ExportPeople> {
    const sessions =
      studyIds.length === 0
        ? []
        : await db.select({ userId: studySession.userId }).from(studySession).where(inArray(studySession.studyId, [...studyIds])).orderBy(asc(studySession.id))
    const pseudonyms = new Map<string, string>()
    for (const { userId } of sessions) if (!pseudonyms.has(String(userId))) pseudonyms.set(String(userId), `P${String(pseudonyms.size + 1).padStart(3, '0')}`)
    const users = await db.select({ id: user.id, userName: user.userName, acceptDataSharing: user.acceptDataSharing }).from(user)
    return new ExportPeople(
      new Set(users.filter((row) => row.acceptDataSharing).map((row) => String(row.id))),
      pseudonyms,
      new Map(users.map((row) => [String(row.id), row.userName])),
    )
  }

  /** Whether `userId`'s data may be exported for a study owned by `ownerId`; null (Folio itself) may. */
  includes(userId: string | number | null, ownerId: number): boolean {
    return userId === null || String(userId) === String(ownerId) || this.consenting.has(String(userId))
  }

  /** How `userId` appears in the export of a study owned by `ownerId`. */
  labeler(anonymize: boolean, ownerId: number): (userId: string | number | null) => string | null {
    return (userId) => {
      if (userId === null || userId === undefined) return null
      const id = String(userId)
      if (!anonymize) return id
      return id === String(ownerId) ? 'owner' : (this.pseudonyms.get(id) ?? 'other')
    }
  }

  /** The account name, for exports that are not anonymized. */
  userName(userId: string | number): string | null {
    return this.names.get(String(userId)) ?? null
  }
}
