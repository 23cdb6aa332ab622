import type { z } from 'zod'
import type { registerInput } from '../../../schema/index.js'

export type Registration = z.input<typeof registerInput>

/**
 * Creates an account with `POST /auth/register`. The SDK has no call for it yet, so this is the
 * app's one request that does not go through the client; it reads the same `{success, message}`
 * answer.
 */
export async function register(registration: Registration): Promise<void> {
  const response = await fetch('/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(registration),
  })
  const answer = (await response.json().catch(() => null)) as { success?: boolean; message?: string } | null
  if (answer?.success !== true) throw new Error(answer?.message ?? `the server answered HTTP ${response.status}`)
}
