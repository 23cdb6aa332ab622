import { and, eq, inArray } from 'drizzle-orm'
import { studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, roleRightMatching, userRole, userRoleMatching } from '../../schema/db/index.js'
import type { SessionUser } from '../auth/index.js'
import { findLiveDocument } from './liveDocument.js'
import { loadStudyScope, type StudyScope } from './studyScope.js'
import { ForbiddenError, NotFoundError } from '../errors.js'

/**
 * The permission checks of one call: roles and rights, access to another user's data, and
 * access to documents. `load` reads the caller's roles and rights at the start of each call, so
 * a change takes effect on the caller's next call, not their next login; the role and right
 * checks are then answered from what it read.
 */
export class Permissions {
  private studies: Promise<StudyScope> | null = null

  private constructor(
    private readonly db: FolioDatabase,
    readonly user: SessionUser,
    private readonly roleNames: ReadonlySet<string>,
    private readonly rightNames: ReadonlySet<string>,
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
    return new Permissions(db, user, new Set(roles.map((role) => role.name)), new Set(rights.map((right) => right.name)))
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
   * Public documents, the owner's, for admins or holders of the studies full-access right all of
   * them, and the documents of the steps of the studies the caller owns or takes part in (a
   * participant opens the PDF and the hidden step documents their session works on).
   */
  async checkDocumentAccess(documentId: number): Promise<boolean> {
    const row = await findLiveDocument(this.db, documentId)
    if (!row) return false
    if (row.public || row.userId === this.user.id || this.hasRight(studiesFullAccessRight)) return true
    return (await this.studyScope()).stepDocuments.includes(documentId)
  }

  /** The owner and admins may change a document's content and metadata. */
  async canEditDocument(documentId: number): Promise<boolean> {
    if (this.isAdmin()) return true
    return (await findLiveDocument(this.db, documentId))?.userId === this.user.id
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

  /** Throws NotFound for a missing document and Forbidden for one the caller may not open. */
  async requireDocumentAccess(documentId: number): Promise<void> {
    if (await this.checkDocumentAccess(documentId)) return
    if (!(await findLiveDocument(this.db, documentId))) throw new NotFoundError(`document ${documentId} does not exist`)
    throw new ForbiddenError(`no access to document ${documentId}`)
  }
}
