import type { SyncedTableName } from '../../schema/index.js'
import type { RpcContext } from '../rpc/index.js'
import type { WriteResult } from './writeSyncedRow.js'

/**
 * How `appDataUpdate` writes a table whose rows carry more than their columns (a study, with its
 * steps and versions): in the call's transaction, answering as `writeSyncedRow` does, with every
 * other row it wrote in `related`; Yjs changes go in `ctx.afterCommit`.
 */
export type TableWriter = (data: Record<string, unknown>, ctx: RpcContext) => Promise<WriteResult>

/** The tables `appDataUpdate` leaves to a writer of their own; the others take `writeSyncedRow`. */
export type TableWriters = Partial<Record<SyncedTableName, TableWriter>>
