import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { ConnectionGrant, Recheck, RecheckScope } from './access.js'
import { Connection, type SyncSocket } from './Connection.js'
import { DocRegistry } from './DocRegistry.js'
import { CloseCode, StoreUnavailableError } from './errors.js'
import type { DocHooksFactory } from './guards/index.js'
import type { Logger } from './Logger.js'
import type { DocStore, WriteTurns } from './storage/index.js'
import type { SyncOptions } from './SyncOptions.js'
import { ServerWriter } from './writers.js'

/** How many connections one turn re-checks; each costs a few queries of the server's policy. */
const recheckSliceSize = 200

/** The CRDT engine without HTTP: accepts authorized sockets onto documents and keeps them stored. */
export class SyncEngine {
  private readonly registry: DocRegistry
  private readonly connections = new Set<Connection>()
  private readonly turns: WriteTurns

  constructor(
    store: DocStore,
    private readonly options: SyncOptions,
    private readonly log: Logger,
    hooksFor: DocHooksFactory = () => [],
  ) {
    this.registry = new DocRegistry(store, options, log, hooksFor)
    this.turns = store.writeTurns
  }

  /**
   * Joins an accepted socket to `docName`. The caller validated the name and authorized the grant;
   * `recheck` decides it again whenever `recheckAccess` is asked to. Throws DocLoadError.
   */
  connect(socket: SyncSocket, docName: string, grant: ConnectionGrant, recheck: Recheck | null = null): Connection {
    const liveDoc = this.registry.acquire(docName)
    const onClose = (closed: Connection) => {
      this.connections.delete(closed)
      this.registry.release(closed.liveDoc)
    }
    const connection = new Connection(socket, liveDoc, grant, this.options, this.registry.committer, this.log, onClose, recheck)
    this.connections.add(connection)
    return connection
  }

  /**
   * Runs `change` on the live document in one Yjs transaction attributed to `author`, stores the
   * resulting update before resolving (so an RPC answer implies durability) and broadcasts it to
   * every connected client. It waits for a write turn (an open RPC transaction ends first), then
   * applies and stores in one go, so nothing runs in between. The document is loaded if needed and
   * unloaded later as usual. Rejects with StoreUnavailableError if the store refused the write: the
   * change is then undone, never stored later; with TransactionNestingError inside a transactional
   * RPC handler, where it belongs in `afterCommit`.
   */
  transact<T>(docName: string, author: { userId: string | null }, change: (doc: Y.Doc) => T): Promise<T> {
    return this.turns.exclusive(() => {
      const liveDoc = this.registry.acquire(docName)
      try {
        const result = liveDoc.doc.transact(() => change(liveDoc.doc), new ServerWriter(author.userId, liveDoc.doc.clientID))
        if (liveDoc.isDirty) this.registry.committer.commit()
        return result
      } finally {
        this.registry.release(liveDoc)
      }
    })
  }

  /** Reads the live (or freshly loaded) document without changing it. */
  read<T>(docName: string, view: (doc: Y.Doc) => T): T {
    const liveDoc = this.registry.acquire(docName)
    try {
      return view(liveDoc.doc)
    } finally {
      this.registry.release(liveDoc)
    }
  }

  /**
   * Applies a change of the revocable credential `revocationKey` to every connection of `docName`
   * that holds it, at once: `read` drops their later updates, `null` closes them with 4403 and `reason`.
   */
  restrictConnections(docName: string, revocationKey: string, access: 'read' | null, reason: string): void {
    for (const connection of [...(this.registry.get(docName)?.peers ?? [])]) {
      if (!(connection instanceof Connection) || connection.revocationKey !== revocationKey) continue
      if (access === null) connection.close(CloseCode.forbidden, reason)
      else connection.downgradeToRead(reason)
    }
  }

  /**
   * Decides the grant of every open connection in `scope` again and applies the result at once
   * (see `Connection.regrant`). Works in slices of `recheckSliceSize` connections, so re-checking
   * thousands of them never holds up the others' traffic.
   */
  async recheckAccess(scope: RecheckScope = {}): Promise<void> {
    const chosen = [...this.connections].filter(
      (c) => c.recheck && (scope.userId === undefined || c.userId === scope.userId) && (scope.docName === undefined || scope.docName(c.liveDoc.name)),
    )
    for (let start = 0; start < chosen.length; start += recheckSliceSize) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve))
      for (const connection of chosen.slice(start, start + recheckSliceSize)) {
        if (!connection.isOpen) continue
        try {
          connection.regrant(await connection.recheck!())
        } catch (error) {
          // A policy that cannot decide (its database failing) leaves the connection as it was.
          this.log.error('sync.recheck_failed', { doc: connection.liveDoc.name, error: String(error) })
        }
      }
    }
  }

  /**
   * Deletes a document for good, in a write turn: its connections close with 4403 and `reason`, its
   * log and checkpoints are removed, unstored updates dropped.
   */
  deleteDoc(docName: string, reason: string): Promise<void> {
    return this.turns.exclusive(() => {
      for (const connection of [...(this.registry.get(docName)?.peers ?? [])]) if (connection instanceof Connection) connection.close(CloseCode.forbidden, reason)
      this.registry.delete(docName)
    })
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /**
   * Stores (and broadcasts) every update applied so far, in a write turn (after an open RPC
   * transaction). Rejects with StoreUnavailableError if the store refused them; they are then dropped.
   */
  flush(): Promise<void> {
    return this.turns.exclusive(() => this.registry.committer.commit())
  }

  /** A loaded document as it is now, without loading it: for health checks and tests. */
  inspect(docName: string): { doc: Y.Doc; awareness: Awareness; unstoredUpdates: number } | undefined {
    const live = this.registry.get(docName)
    return live && { doc: live.doc, awareness: live.awareness, unstoredUpdates: live.pendingCount }
  }

  /** What the engine holds now, for health checks and tests. */
  stats(): { loadedDocs: number; connections: number; unstoredUpdates: number } {
    return { loadedDocs: this.registry.loadedCount, connections: this.connections.size, unstoredUpdates: this.registry.unstoredCount }
  }

  /**
   * Stores every pending update (held frames included), closes every connection as going away and unloads every document,
   * in the store's last write turn: at once when no RPC transaction is open, else once it ends, or
   * after `shutdownWaitMs` by rolling it back. Later RPC transactions are refused.
   */
  shutdown(): Promise<void> {
    return this.turns.last(() => {
      // Frames read but held for a later turn are applied now, so a burst that arrived with the signal is stored whole.
      for (const connection of this.connections) connection.drainHeld()
      try {
        this.registry.committer.commit()
      } catch (error) {
        // Refused updates were dropped; their clients keep them and send them to the next server.
        if (!(error instanceof StoreUnavailableError)) throw error
      }
      for (const connection of [...this.connections]) connection.close(CloseCode.goingAway, 'server shutting down')
      this.registry.unloadAll()
    }, this.options.shutdownWaitMs)
  }
}
