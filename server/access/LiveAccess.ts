import { parseDocName } from '../../schema/index.js'
import type { Logger, RecheckScope, SyncEngine } from '../../sync/index.js'

/** Tables whose rows decide who may open what (roles, rights, accounts, document visibility and ownership). */
const accountTables = new Set(['user', 'user_role', 'user_right', 'user_role_matching', 'role_right_matching'])
/** Tables whose rows decide who may open a study's documents and session docs. */
const studyTables = new Set(['study', 'study_step'])

/** A committed write, as the RPC layer reports it after commit. */
interface WrittenTable {
  table: string
  writes: { row: Record<string, unknown> }[]
}

/**
 * Keeps the access of open sockets in step with what the database says. Sync connections are
 * decided again by the policy that admitted them, events sockets by their token: at once when
 * something that decides access changes (a logout, a document's visibility or owner, roles and
 * rights, a document's shares), and every `sweepMs` for what changes by itself (a token running out).
 */
export class LiveAccess {
  private readonly sweep: NodeJS.Timeout

  constructor(
    private readonly engine: SyncEngine,
    /** Closes the events sockets whose token no longer resolves. */
    private readonly recheckEventSockets: () => Promise<void>,
    sweepMs: number,
    private readonly log: Logger,
  ) {
    this.sweep = setInterval(() => this.recheck({}), sweepMs)
    this.sweep.unref()
  }

  /** A session of `userId` ended (logout, revocation): their sockets are checked again now. */
  sessionEnded(userId: number): void {
    this.recheck({ userId: String(userId) })
  }

  /** An RPC call committed these writes: re-checks the sockets they can concern. */
  tablesChanged(changes: readonly WrittenTable[]): void {
    if (changes.some((change) => accountTables.has(change.table))) return this.recheck({})
    // A study closed, deleted or given away, or its steps changed: every document may be one of its
    // steps' or sessions'. Studies are written rarely; sessions, written at every start and step,
    // concern only their participant's sockets and the session's own docs.
    if (changes.some((change) => studyTables.has(change.table))) return this.recheck({ docName: (name) => sessionOf(name) !== undefined })
    const sessions = changes.filter((change) => change.table === 'study_session').flatMap((change) => change.writes.map((write) => write.row))
    if (sessions.length > 0) {
      const sessionIds = new Set(sessions.map((row) => Number(row.id)))
      for (const userId of new Set(sessions.map((row) => String(row.userId)))) this.recheck({ userId })
      this.recheck({ docName: (name) => sessionIds.has(sessionOf(name) ?? -1) })
    }
    // A document's row (visibility, owner, deletion) and its shares decide who opens its docs; the share
    // events record the shared document's row with the share, so a share's change lands here too.
    const documentIds = new Set(changes.filter((change) => change.table === 'document').flatMap((change) => change.writes.map((write) => Number(write.row.id))))
    if (documentIds.size === 0) return
    this.recheck({
      docName: (name) => {
        const typed = parseDocName(name)
        return (typed.kind === 'document' || typed.kind === 'annotations') && documentIds.has(typed.documentId)
      },
    })
  }

  stop(): void {
    clearInterval(this.sweep)
  }

  private recheck(scope: RecheckScope): void {
    this.recheckEventSockets().catch((error: unknown) => this.log.error('access.recheck_failed', { error: String(error) }))
    this.engine.recheckAccess(scope).catch((error: unknown) => this.log.error('access.recheck_failed', { error: String(error) }))
  }
}

/** The study session a document's doc name is scoped to (null for the plain doc); undefined for other docs. */
function sessionOf(name: string): number | null | undefined {
  const typed = parseDocName(name)
  return typed.kind === 'document' || typed.kind === 'annotations' ? typed.studySessionId : undefined
}
