import { CloseCode } from '../schema/wire/index.js'
import type { DocAccessChange } from './docAccess.js'
import type { CloseInfo } from './EventsSocket.js'

/** `unauthenticated`: the server refused the token (4401), on the events socket, the docs' socket, or one doc (`doc`). */
export type UnauthenticatedInfo = CloseInfo & { doc?: string }

/** `permission-denied`: the server closed a doc with 4403 (access refused or withdrawn); its provider stops reconnecting. */
export interface PermissionDeniedInfo {
  doc: string
  code: number
  reason: string
}

/** `read-only`: the server took write access to a doc away; later edits are not stored. */
export interface ReadOnlyInfo {
  doc: string
  reason: string
}

/** `offline`: the last open socket to the server closed (its code and reason); edits wait in the docs (and their stores). */
export type OfflineInfo = CloseInfo

/** The client event a doc's access change is, with its payload. */
export function docAccessEvent(doc: string, change: DocAccessChange): ['read-only', ReadOnlyInfo] | ['permission-denied', PermissionDeniedInfo] | ['unauthenticated', UnauthenticatedInfo] {
  if (change.access === 'read') return ['read-only', { doc, reason: change.reason }]
  if (change.code === CloseCode.unauthenticated) return ['unauthenticated', { doc, code: change.code, reason: change.reason }]
  return ['permission-denied', { doc, code: change.code, reason: change.reason }]
}
