import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { open, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** What the store knows of a stored file: the SHA-256 (hex) of its bytes, which is its name, and its size. */
export interface StoredFile {
  hash: string
  size: number
}

const hashPattern = /^[0-9a-f]{64}$/

/**
 * Uploaded files, stored once by content: each file is named by the SHA-256 of its bytes, so
 * uploading the same bytes again stores nothing new and a name always means the same bytes.
 * The database keeps which documents use which hash. Files are never removed here: other
 * documents may share them, and a file left behind by a rolled-back upload is harmless.
 */
export class FileStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true })
  }

  /** Stores `bytes` (unless the same bytes are there already) and answers their hash; durable when it resolves. */
  async put(bytes: Uint8Array): Promise<StoredFile> {
    const hash = createHash('sha256').update(bytes).digest('hex')
    const target = this.pathOf(hash)
    if (await exists(target)) return { hash, size: bytes.byteLength }
    // Write aside and rename: a reader never sees a partial file under a content hash.
    const temporary = join(this.dir, `.${hash}.${randomUUID()}.tmp`)
    try {
      const handle = await open(temporary, 'wx')
      try {
        await handle.writeFile(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
    return { hash, size: bytes.byteLength }
  }

  /** The bytes stored under `hash`, or null when there are none. */
  async get(hash: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(hash))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  private pathOf(hash: string): string {
    // Hashes come from the database; checking the form keeps any other value out of the path.
    if (!hashPattern.test(hash)) throw new Error(`not a SHA-256 hex digest: ${JSON.stringify(hash)}`)
    return join(this.dir, hash)
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
