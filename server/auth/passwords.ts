import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// scrypt with N=2^15, r=8 costs ~32 MiB and tens of ms per hash: memory-hard, as OWASP recommends.
const cost = { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 }
const keyLength = 32

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, { ...params, maxmem: cost.maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

/** A generated password (96 random bits, 16 URL-safe characters), for accounts made without one. */
export function newPassword(): string {
  return randomBytes(12).toString('base64url')
}

/** `scrypt$N$r$p$<salt>$<key>` with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Compares in constant time; a malformed or missing hash never matches. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$') ?? []
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time as a real check, so a response time does not reveal that an account has no password.
    await derive(password, randomBytes(16), cost)
    return false
  }
  const [, N, r, p, salt, key] = parts as [string, string, string, string, string, string]
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
