import * as idb from 'lib0/indexeddb'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import type { PendingUpdate, ReplicaStore } from './ReplicaStore.js'

/** Keys of pending updates in y-indexeddb's own key-value store of each doc's database. */
const pendingKeyPrefix = 'pending:'

/**
 * A replica store in the browser's IndexedDB, through y-indexeddb (one database per doc, named
 * `prefix + name`). y-indexeddb keeps and merges the replica; the pending updates sit beside it
 * in its key-value store. IndexedDB writes are asynchronous: an update made in the instant a tab
 * is closed may be lost, where the SQLite store would have kept it.
 */
export function indexeddbReplicaStore(prefix = 'folio:'): ReplicaStore {
  return {
    async open(name) {
      // y-indexeddb binds itself to a doc; the replica gets one of its own to keep.
      const kept = new Y.Doc()
      const persistence = new IndexeddbPersistence(`${prefix}${name}`, kept)
      await persistence.whenSynced
      const [custom] = idb.transact(await persistence._db, ['custom'], 'readonly')
      const pending: PendingUpdate[] = (await idb.getAllKeysValues(custom!))
        .filter(({ k }) => typeof k === 'string' && k.startsWith(pendingKeyPrefix))
        .map(({ k, v }) => ({ id: Number(String(k).slice(pendingKeyPrefix.length)), update: new Uint8Array(v as ArrayBuffer) }))
        .sort((a, b) => a.id - b.id)
      let nextId = (pending.at(-1)?.id ?? 0) + 1
      return {
        updates: [Y.encodeStateAsUpdate(kept)],
        pending,
        storeRemote(update) {
          Y.applyUpdate(kept, update)
        },
        storeLocal(update) {
          Y.applyUpdate(kept, update)
          const id = nextId++
          void persistence.set(`${pendingKeyPrefix}${id}`, update.slice().buffer)
          return { id, update }
        },
        acknowledge(ids) {
          for (const id of ids) void persistence.del(`${pendingKeyPrefix}${id}`)
        },
        // y-indexeddb merges its stored updates itself.
        compact() {},
        close() {
          void persistence.destroy()
          kept.destroy()
        },
      }
    },
  }
}
