import type { FolioDatabase, SyncEngine } from '../../sync/index.js'
import type { DocumentsConfig } from '../config.js'
import type { Rooms } from '../events/index.js'
import type { TableSync } from '../realtime/index.js'
import type { RpcRegistry } from '../rpc/index.js'
import { registerAnnotationEvents } from './annotations.js'
import { registerAppEvents } from './app.js'
import { registerDocumentEvents } from './documents.js'
import { registerSettingsEvents } from './settings.js'

/** What domain modules need to define their events. */
export interface DomainDeps {
  db: FolioDatabase
  engine: SyncEngine
  tableSync: TableSync
  /** Groups of events clients, e.g. the followers of a document (`documentRoom`). */
  rooms: Rooms
  /** The file store and upload limit of documentAdd. */
  documents: DocumentsConfig
}

/** Defines every domain's RPC events on `rpc`. */
export function registerDomains(rpc: RpcRegistry, deps: DomainDeps): void {
  registerAppEvents(rpc, deps)
  registerSettingsEvents(rpc)
  registerDocumentEvents(rpc, deps)
  registerAnnotationEvents(rpc, deps)
}
