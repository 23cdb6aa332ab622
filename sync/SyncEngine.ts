import type { ConnectionGrant } from './access.js'
import { Connection, type SyncSocket } from './Connection.js'
import { DocRegistry } from './DocRegistry.js'
import { CloseCode } from './errors.js'
import type { Logger } from './Logger.js'
import type { DocStore } from './storage/index.js'
import type { SyncOptions } from './SyncOptions.js'

/** The CRDT engine without HTTP: accepts authorized sockets onto documents and keeps them stored. */
export class SyncEngine {
  readonly registry: DocRegistry
  private readonly connections = new Set<Connection>()

  constructor(
    store: DocStore,
    private readonly options: SyncOptions,
    private readonly log: Logger,
  ) {
    this.registry = new DocRegistry(store, options, log)
  }

  /** Joins an accepted socket to `docName`. The caller validated the name and authorized the grant. Throws DocLoadError. */
  connect(socket: SyncSocket, docName: string, grant: ConnectionGrant): Connection {
    const liveDoc = this.registry.acquire(docName)
    const connection = new Connection(socket, liveDoc, grant, this.options.maxBufferedBytes, this.log, (closed) => {
      this.connections.delete(closed)
      this.registry.release(closed.liveDoc)
    })
    this.connections.add(connection)
    return connection
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /** Stores every pending update, closes every connection as going away and unloads every document. */
  shutdown(): void {
    this.registry.committer.commit()
    for (const connection of [...this.connections]) connection.close(CloseCode.goingAway, 'server shutting down')
    this.registry.unloadAll()
  }
}
