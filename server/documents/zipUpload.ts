import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { InvalidInputError } from '../errors.js'

/** How much an uploaded zip may hold. */
export interface ZipLimits {
  /** Most entries (files and folders) in one zip. */
  maxZipEntries: number
  /** Most bytes its entries may unpack to, all together. */
  maxZipUnpackedBytes: number
}

/**
 * Checks an uploaded zip (the document's bytes are stored as they are): that yauzl reads its
 * central directory and every entry's local header, that no entry name leaves the zip's folder
 * (yauzl refuses absolute paths and `..`, and backslashes, which some unpackers take for folders),
 * that it has at most the limits' entries and unpacked bytes, and that every entry unpacks to
 * exactly its declared size. Each refusal names `field` and what is wrong.
 */
export async function checkZipUpload(field: string, bytes: Buffer, limits: ZipLimits): Promise<void> {
  const refuse = (reason: string) => new InvalidInputError(`invalid input: ${field}: ${reason}`)
  let zip: ZipFile
  try {
    zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
    )
  } catch (error) {
    throw refuse(`not a readable zip file (${messageOf(error)})`)
  }
  // Every failure reaches the read that is waiting for it; this keeps one between reads from going unheard.
  zip.on('error', () => {})
  if (zip.entryCount > limits.maxZipEntries) {
    zip.close()
    throw refuse(`the zip has ${zip.entryCount} entries; a zip may have at most ${limits.maxZipEntries}`)
  }
  let unpacked = 0
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      unpacked += entry.uncompressedSize
      if (unpacked > limits.maxZipUnpackedBytes) throw refuse(`the zip unpacks to more than ${limits.maxZipUnpackedBytes} bytes, the most a zip may hold`)
      if (!entry.fileName.endsWith('/')) await readThrough(zip, entry)
    }
  } catch (error) {
    zip.close()
    if (error instanceof InvalidInputError) throw error
    const message = messageOf(error)
    if (unsafeName.test(message)) throw refuse(`an entry's name is not a plain path inside the zip (${message})`)
    throw refuse(`the zip is damaged (${message})`)
  }
}

/** yauzl's refusals of an entry name: absolute, climbing out with `..`, or with backslashes. */
const unsafeName = /^(absolute path|invalid relative path|invalid characters in fileName)/

/** The next entry, or null after the last; yauzl checks each entry's name and header as it reads it. */
function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const settle = (entry: Entry | null) => {
      zip.off('entry', settle)
      zip.off('end', end)
      zip.off('error', fail)
      resolve(entry)
    }
    const end = () => settle(null)
    const fail = (error: unknown) => {
      zip.off('entry', settle)
      zip.off('end', end)
      reject(error)
    }
    zip.once('entry', settle)
    zip.once('end', end)
    zip.once('error', fail)
    zip.readEntry()
  })
}

/** Unpacks one entry to nowhere: yauzl fails the stream when the data is damaged or not its declared size. */
function readThrough(zip: ZipFile, entry: Entry): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error)
      stream.on('error', reject).on('end', resolve).resume()
    })
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
