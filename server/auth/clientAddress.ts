import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/** The address a request came from, as the per-address limits count it. */
export function clientAddress(c: Context): string {
  return getConnInfo(c).remote.address ?? 'unknown'
}
