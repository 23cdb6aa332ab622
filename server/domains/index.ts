import type { DocHistory, FolioDatabase, SyncEngine } from '../../sync/index.js'
import type { DocumentsConfig } from '../config.js'
import type { Rooms } from '../events/index.js'
import type { TableSync } from '../realtime/index.js'
import type { RpcRegistry } from '../rpc/index.js'
import { registerVersionEvents } from '../versions/index.js'
import { registerAnnotationEvents } from './annotations.js'
import { registerAppEvents } from './app.js'
import { registerDocumentEvents } from './documents.js'
import { type RoomDomainDeps, registerRoomEvents } from './rooms.js'
import { registerSettingsEvents } from './settings.js'

/** What domain modules need to define their events. */
export interface DomainDeps extends RoomDomainDeps {
  db: FolioDatabase
  engine: SyncEngine
  tableSync: TableSync
  /** Groups of events clients, e.g. the followers of a document (`documentRoom`). */
  rooms: Rooms
  /** The file store and upload limit of documentAdd. */
  documents: DocumentsConfig
  /** Replays of the update log: states at past seqs, for named versions. */
  history: DocHistory
}

/** Defines every domain's RPC events on `rpc`. */
export function registerDomains(rpc: RpcRegistry, deps: DomainDeps): void {
  registerAppEvents(rpc, deps)
  registerSettingsEvents(rpc)
  registerDocumentEvents(rpc, deps)
  registerAnnotationEvents(rpc, deps)
  registerVersionEvents(rpc, deps)
  registerRoomEvents(rpc, deps)
}
