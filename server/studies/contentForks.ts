import * as Y from 'yjs'
import { documentDocName } from '../../schema/index.js'
import type { SyncEngine } from '../../sync/index.js'
import type { ContentFork } from './studySteps.js'

/**
 * Starts each fork's target doc as the source doc's current state, one stored change attributed
 * to `userId` each, in order (a fork may copy a document an earlier fork filled). Run after the
 * commit that made the target rows: the engine refuses changes inside an RPC transaction.
 */
export async function runContentForks(engine: SyncEngine, userId: number, forks: readonly ContentFork[]): Promise<void> {
  for (const fork of forks) {
    const state = engine.read(documentDocName(fork.from), (doc) => Y.encodeStateAsUpdate(doc))
    await engine.transact(documentDocName(fork.to), { userId: String(userId) }, (doc) => Y.applyUpdate(doc, state))
  }
}
