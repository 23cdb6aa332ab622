/**
 * Websocket close codes of the sync, events and signaling endpoints (the README's table), shared by
 * server and clients; 4xxx mirror HTTP statuses, as Hocuspocus does.
 */
export const CloseCode = {
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  badRequest: 4400,
  /** The token no longer signs anyone in (expired, revoked by logout); clients stop reconnecting until the next login. */
  unauthenticated: 4401,
  forbidden: 4403,
  /** One update holds more structs and delete ranges than a turn may apply (`maxUpdateStructs`). */
  updateTooLarge: 4413,
  /** A client sends more than its budget per second, or holds more connections than allowed. */
  tooManyRequests: 4429,
} as const

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Close codes only a room's signaling socket uses, beside `CloseCode`. */
export const SignalingCloseCode = {
  /** The participation was resumed by a newer connection; this older socket is ended. */
  replaced: 4000,
  /** The room does not exist, or no longer does. */
  unknownRoom: 4404,
} as const
