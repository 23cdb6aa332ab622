import { and, eq, inArray } from 'drizzle-orm'
import { type ShareRole, studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, roleRightMatching, userRole, userRoleMatching } from '../../schema/db/index.js'
import type { SessionUser } from '../auth/index.js'
import { findLiveDocument } from './liveDocument.js'
import { loadOwnedShareTargets, loadShareScope, type OwnedShareTargets, type ShareScope } from './shareScope.js'
import { loadStudyScope, type StudyScope } from './studyScope.js'
import { ForbiddenError, NotFoundError } from '../errors.js'

/**
 * What a user may do with a document, from least to most: read it (a reader share); also annotate
 * it (an annotator share, and everyone who may open it otherwise: a public document, the studies
 * full-access right, a step document of one's studies); also change its content (an editor
 * share); also change its metadata, publish, delete and share it (its owner and admins).
 */
export const documentAccessLevels = ['read', 'annotate', 'edit', 'manage'] as const
export type DocumentAccess = (typeof documentAccessLevels)[number]

const accessOfShare: Record<ShareRole, DocumentAccess> = { reader: 'read', annotator: 'annotate', editor: 'edit' }

/** Whether `access` covers what `need` asks. */
export const accessAllows = (access: DocumentAccess | null, need: DocumentAccess): boolean => access !== null && documentAccessLevels.indexOf(access) >= documentAccessLevels.indexOf(need)

/** The higher of two levels; either may be missing. */
function higherAccess(a: DocumentAccess | null, b: DocumentAccess | null): DocumentAccess | null {
  if (a === null || b === null) return a ?? b
  return accessAllows(a, b) ? a : b
}

/** Why a caller who may open a document still may not do what `need` asks. */
const refusalOf: Record<Exclude<DocumentAccess, 'read'>, (documentId: number) => string> = {
  annotate: (id) => `document ${id} is shared with you to read only: annotating it needs an annotator or editor share`,
  edit: (id) => `only the owner of document ${id}, its editors and administrators may change its content`,
  manage: (id) => `only the owner of document ${id} and administrators may change it`,
}

/**
 * The permission checks of one call: roles and rights, access to another user's data, and
 * access to documents. `load` reads the caller's roles and rights at the start of each call, so
 * a change takes effect on the caller's next call, not their next login; the role and right
 * checks are then answered from what it read.
 */
export class Permissions {
  private studies: Promise<StudyScope> | null = null
  private shared: Promise<ShareScope> | null = null
  private owned: Promise<OwnedShareTargets> | null = null

  private constructor(
    private readonly db: FolioDatabase,
    readonly user: SessionUser,
    private readonly roleNames: ReadonlySet<string>,
    private readonly rightNames: ReadonlySet<string>,
    /** Ids of the caller's live roles: shares name roles by id. */
    readonly roleIds: readonly number[],
  ) {}

  static async load(db: FolioDatabase, user: SessionUser): Promise<Permissions> {
    const roles = await db
      .select({ id: userRole.id, name: userRole.name })
      .from(userRoleMatching)
      .innerJoin(userRole, eq(userRole.id, userRoleMatching.userRoleId))
      .where(and(eq(userRoleMatching.userId, user.id), eq(userRoleMatching.deleted, false), eq(userRole.deleted, false)))
    // A deleted role grants nothing: neither its name nor the rights matched to it.
    const roleIds = roles.map((role) => role.id)
    const rights =
      roleIds.length === 0
        ? []
        : await db
            .select({ name: roleRightMatching.userRightName })
            .from(roleRightMatching)
            .where(and(inArray(roleRightMatching.userRoleId, roleIds), eq(roleRightMatching.deleted, false)))
    return new Permissions(db, user, new Set(roles.map((role) => role.name)), new Set(rights.map((right) => right.name)), roleIds)
  }

  /** Names of the caller's roles. */
  roles(): ReadonlySet<string> {
    return this.roleNames
  }

  /** Names of the rights the caller's roles hold. */
  rights(): ReadonlySet<string> {
    return this.rightNames
  }

  /** The studies the caller owns and takes part in, read at the first call of each check. */
  studyScope(): Promise<StudyScope> {
    this.studies ??= loadStudyScope(this.db, this.user.id)
    return this.studies
  }

  /** What is shared with the caller and their roles, read at the first call of each check. */
  shareScope(): Promise<ShareScope> {
    this.shared ??= loadShareScope(this.db, this.user.id, this.roleIds)
    return this.shared
  }

  /** The documents and tag sets the caller owns, whose shares they see; read at the first call of each check. */
  ownedShareTargets(): Promise<OwnedShareTargets> {
    this.owned ??= loadOwnedShareTargets(this.db, this.user.id)
    return this.owned
  }

  isAdmin(): boolean {
    return this.roles().has('admin')
  }

  /** Admins hold every right; others hold the rights of their roles, matched exactly. */
  hasRight(name: string): boolean {
    return this.isAdmin() || this.rights().has(name)
  }

  /** Admin or the user themself. */
  checkUserAccess(userId: number | null | undefined): boolean {
    return this.isAdmin() || userId === this.user.id
  }

  /**
   * The one rule of what the caller may do with document `documentId` (null: nothing, also for a
   * missing or deleted one), as `documentAccessLevels` orders it: owners and admins manage it;
   * shares give what their role says; a public document, the studies full-access right and the
   * documents of the steps of the studies the caller owns or takes part in (a participant opens
   * the PDF and the hidden step documents their session works on) let them annotate it. Where
   * several apply, the highest counts. The sync policy, the RPC events and the HTTP routes all
   * ask this.
   */
  async documentAccess(documentId: number): Promise<DocumentAccess | null> {
    const row = await findLiveDocument(this.db, documentId)
    if (!row) return null
    if (this.isAdmin() || row.userId === this.user.id) return 'manage'
    const role = (await this.shareScope()).documents.get(documentId)
    const shared = role ? accessOfShare[role] : null
    if (shared === 'edit') return shared
    const open = row.public || this.hasRight(studiesFullAccessRight) || (await this.studyScope()).stepDocuments.includes(documentId)
    return higherAccess(shared, open ? 'annotate' : null)
  }

  /** Whether the caller may do what `need` says with document `documentId` (by default: open and read it). */
  async checkDocumentAccess(documentId: number, need: DocumentAccess = 'read'): Promise<boolean> {
    return accessAllows(await this.documentAccess(documentId), need)
  }

  requireAdmin(): void {
    if (!this.isAdmin()) throw new ForbiddenError('only administrators may do this')
  }

  requireRight(name: string): void {
    if (!this.hasRight(name)) throw new ForbiddenError(`missing right "${name}"`)
  }

  requireUserAccess(userId: number | null | undefined): void {
    if (!this.checkUserAccess(userId)) throw new ForbiddenError('you may only act on your own account')
  }

  /** Throws NotFound for a missing document, Forbidden for one the caller may not open, or may open but not use as `need` says. */
  async requireDocumentAccess(documentId: number, need: DocumentAccess = 'read'): Promise<void> {
    const access = await this.documentAccess(documentId)
    if (accessAllows(access, need)) return
    if (access !== null && need !== 'read') throw new ForbiddenError(refusalOf[need](documentId))
    if (!(await findLiveDocument(this.db, documentId))) throw new NotFoundError(`document ${documentId} does not exist`)
    throw new ForbiddenError(`no access to document ${documentId}`)
  }
}
