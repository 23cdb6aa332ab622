import { and, eq, inArray } from 'drizzle-orm'
import { studiesFullAccessRight } from '../../schema/index.js'
import { type FolioDatabase, roleRightMatching, userRole, userRoleMatching } from '../../schema/db/index.js'
import type { SessionUser } from '../auth/sessions.js'
import { liveDocument } from './liveDocument.js'
import { loadStudyScope, type StudyScope } from './studyScope.js'
import { ForbiddenError, NotFoundError } from '../errors.js'

/**
 * The permission checks of one call: roles and rights, access to another user's data, and
 * access to documents. Roles and rights are read from the database at the first check of each
 * call, so a change takes effect on the caller's next call, not their next login.
 */
export class Permissions {
  private roleNames: Set<string> | null = null
  private rightNames: Set<string> | null = null
  private studies: Promise<StudyScope> | null = null

  constructor(
    private readonly db: FolioDatabase,
    readonly user: SessionUser,
  ) {}

  /** Names of the caller's roles. */
  roles(): Set<string> {
    this.roleNames ??= new Set(
      this.db
        .select({ name: userRole.name })
        .from(userRoleMatching)
        .innerJoin(userRole, eq(userRole.id, userRoleMatching.userRoleId))
        .where(and(eq(userRoleMatching.userId, this.user.id), eq(userRoleMatching.deleted, false), eq(userRole.deleted, false)))
        .all()
        .map((r) => r.name),
    )
    return this.roleNames
  }

  /** Names of the rights the caller's roles hold. */
  rights(): Set<string> {
    if (!this.rightNames) {
      const roleIds = this.db
        .select({ id: userRoleMatching.userRoleId })
        .from(userRoleMatching)
        .where(and(eq(userRoleMatching.userId, this.user.id), eq(userRoleMatching.deleted, false)))
        .all()
        .map((r) => r.id)
      this.rightNames = new Set(
        roleIds.length === 0
          ? []
          : this.db
              .select({ name: roleRightMatching.userRightName })
              .from(roleRightMatching)
              .where(and(inArray(roleRightMatching.userRoleId, roleIds), eq(roleRightMatching.deleted, false)))
              .all()
              .map((r) => r.name),
      )
    }
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
   * Public documents, the owner's, and for admins or holders of the studies full-access right
   * all of them. (The original's study-participant rule joins in once studies exist.)
   */
  checkDocumentAccess(documentId: number): boolean {
    const row = liveDocument(this.db, documentId)
    if (!row) return false
    return row.public || row.userId === this.user.id || this.hasRight(studiesFullAccessRight)
  }

  /** The owner and admins may change a document's content and metadata. */
  canEditDocument(documentId: number): boolean {
    if (this.isAdmin()) return true
    return liveDocument(this.db, documentId)?.userId === this.user.id
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
  requireDocumentAccess(documentId: number): void {
    if (this.checkDocumentAccess(documentId)) return
    if (!liveDocument(this.db, documentId)) throw new NotFoundError(`document ${documentId} does not exist`)
    throw new ForbiddenError(`no access to document ${documentId}`)
  }
}
