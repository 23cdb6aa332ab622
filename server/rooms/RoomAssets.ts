import { randomUUID } from 'node:crypto'
import type { FolioDatabase } from '../../schema/db/index.js'
import { SerialTransactions } from '../../sync/index.js'
import type { FileStore } from '../documents/index.js'
import type { AssetRow, RoomStore } from './RoomStore.js'

/** Storing a file would take the room past its storage quota. */
export class StorageQuotaExceededError extends Error {
  constructor(used: number, adding: number, quota: number) {
    super(`the room's files would take ${used + adding} bytes, over its quota of ${quota} bytes; delete old files or raise FOLIO_ROOM_STORAGE_QUOTA_BYTES`)
    this.name = 'StorageQuotaExceededError'
  }
}

/** Files a room produces (protocol PDFs): bytes in the file store, a row per file, a quota per room. */
export class RoomAssets {
  constructor(
    private readonly db: FolioDatabase,
    private readonly store: RoomStore,
    private readonly files: FileStore,
    private readonly quotaBytes: number,
  ) {}

  /** Stores the bytes, then records the asset; throws StorageQuotaExceededError and stores nothing when over quota. */
  async save(roomId: string, kind: string, filename: string, bytes: Uint8Array): Promise<AssetRow> {
    await this.checkQuota(roomId, bytes.byteLength)
    const { hash, size } = await this.files.put(bytes)
    // Checked again in the write turn that adds the row: another file of the room may have been stored meanwhile.
    return SerialTransactions.of(this.db).transaction(async () => {
      await this.checkQuota(roomId, size)
      const row = { id: randomUUID(), roomId, kind, filename, size, fileHash: hash, createdAt: new Date() }
      await this.store.addAsset(row)
      return row
    })
  }

  /** The asset's bytes, or null when the file store lost them. */
  bytesOf(row: AssetRow): Promise<Buffer | null> {
    return this.files.get(row.fileHash)
  }

  private async checkQuota(roomId: string, adding: number): Promise<void> {
    const used = await this.store.storageUsed(roomId)
    if (used + adding > this.quotaBytes) throw new StorageQuotaExceededError(used, adding, this.quotaBytes)
  }
}
