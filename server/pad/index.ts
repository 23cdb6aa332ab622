/**
 * The protocol pad, everything about it: the room module that picks writers and hands out pad
 * sessions (`PadModule`, the `protocol` namespace of a room's signaling), the PDF of its content
 * rendered on a worker, the sync grant of a pad session, the pad's history routes, and its HTTP
 * side (the `/auth_session` entry link, the pad page and its browser bundle from `clients/pad/`).
 * It builds on `rooms/`, which knows the pad only through `RoomPad`.
 */
export { assetRoutes } from './assetRoutes.js'
export type { PadRouteDeps } from './types.js'
export { padSessionCookie } from './cookie.js'
export { type PadDeps, padModules } from './PadModule.js'
export { padGrant } from './padGrant.js'
export { padHistoryRoutes } from './padHistoryRoutes.js'
export { PdfRenderer } from './PdfRenderer.js'
export { padRoutes } from './routes.js'
