import * as idb from 'lib0/indexeddb'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import type { PendingUpdate, ReplicaStore } from './ReplicaStore.js'

/** Keys of pending updates in y-indexeddb's own key-value store of each doc's database. */
const pendingKeyPrefix = 'pending:'

/**
 * Keys of when each pending update was made, beside it (`typedAt:<id>`, ms since the epoch).
 * Replicas from before the time was kept have none: their updates are sent without one.
 */
const typedAtKeyPrefix = 'typedAt:'

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
      const stored = await idb.getAllKeysValues(custom!)
      const keyed = (keyPrefix: string) => stored.filter(({ k }) => typeof k === 'string' && k.startsWith(keyPrefix)).map(({ k, v }) => ({ id: Number(String(k).slice(keyPrefix.length)), v }))
      const typedAt = new Map(keyed(typedAtKeyPrefix).map(({ id, v }) => [id, v as number]))
      const pending: PendingUpdate[] = keyed(pendingKeyPrefix)
        .map(({ id, v }) => ({ id, update: new Uint8Array(v as ArrayBuffer), typedAt: typedAt.get(id) ?? null }))
        .sort((a, b) => a.id - b.id)
      let nextId = (pending.at(-1)?.id ?? 0) + 1
      return {
        updates: [Y.encodeStateAsUpdate(kept)],
        pending,
        storeRemote(update) {
          Y.applyUpdate(kept, update)
        },
        storeLocal(update, typedAt) {
          Y.applyUpdate(kept, update)
          const id = nextId++
          void persistence.set(`${typedAtKeyPrefix}${id}`, typedAt)
          void persistence.set(`${pendingKeyPrefix}${id}`, update.slice().buffer)
          return { id, update, typedAt }
        },
        acknowledge(ids) {
          for (const id of ids) {
            void persistence.del(`${pendingKeyPrefix}${id}`)
            void persistence.del(`${typedAtKeyPrefix}${id}`)
          }
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
