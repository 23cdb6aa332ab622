import { parseDocName } from '../../schema/index.js'
import type { Logger, RecheckScope, SyncEngine } from '../../sync/index.js'

/** Tables whose rows decide who may open what (roles, rights, accounts, document visibility and ownership). */
const accountTables = new Set(['user', 'user_role', 'user_right', 'user_role_matching', 'role_right_matching'])

/** A committed write, as the RPC layer reports it after commit. */
interface WrittenTable {
  table: string
  writes: { row: Record<string, unknown> }[]
}

/**
 * Keeps the access of open sockets in step with what the database says. Sync connections are
 * decided again by the policy that admitted them, events sockets by their token: at once when
 * something that decides access changes (a logout, a document's visibility or owner, roles and
 * rights), and every `sweepMs` for what changes by itself (a token running out).
 */
export class LiveAccess {
  private readonly sweep: NodeJS.Timeout

  constructor(
    private readonly engine: SyncEngine,
    /** Closes the events sockets whose token no longer resolves. */
    private readonly recheckEventSockets: () => void,
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
    this.recheckEventSockets()
    this.engine.recheckAccess(scope).catch((error: unknown) => this.log.error('access.recheck_failed', { error: String(error) }))
  }
}
