import type { Authorize } from '../../sync/index.js'
import type { DevAccessPolicy } from '../config.js'

/**
 * The development access policy, until accounts exist: a known token gets its configured level,
 * no token gets the anonymous level, an unknown token is refused.
 */
export function createDevAuthorize(policy: DevAccessPolicy): Authorize {
  return (_docName, token) => (token === null ? policy.anonymous : (policy.tokens.get(token) ?? null))
}
