/** Local replica stores for offline docs (the SQLite one is Node-only: `clients/node.ts`). */
export { indexeddbReplicaStore } from './indexeddbReplicaStore.js'
export type { PendingUpdate, ReplicaStore, StoredReplica } from './ReplicaStore.js'
export { acknowledgementProbeDelayMs, ReplicaSync } from './ReplicaSync.js'
