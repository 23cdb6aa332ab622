import { createHash, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'

const randomBytesAsync = promisify(randomBytes)

/** A new unguessable secret (256 random bits), URL-safe: login tokens, pad sessions, guest links. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** `newSecret` off the event loop (the bytes come from libuv's thread pool). */
export async function newSecretAsync(): Promise<string> {
  return (await randomBytesAsync(32)).toString('base64url')
}

/** What is stored of a secret: its SHA-256, so a copy of the database grants nothing. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
