/** Yjs decodes a plain Uint8Array 5-11% faster than a Buffer (bench/README.md); the view shares the bytes. */
export function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** better-sqlite3 binds Buffers as blobs; wrapping shares the bytes instead of copying them. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
