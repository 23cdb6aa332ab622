/** Websocket close codes the sync endpoint uses; 4xxx mirror HTTP statuses, as Hocuspocus does. */
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

/** A client broke the wire protocol; the connection is closed with `closeCode` and `message` as reason. */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: CloseCode,
    message: string,
  ) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/** A document's stored state could not be read back into a Y.Doc. */
export class DocLoadError extends Error {
  constructor(
    readonly docName: string,
    options: { cause: unknown },
  ) {
    super(`document "${docName}" could not be loaded`, options)
    this.name = 'DocLoadError'
  }
}

/**
 * The store refused a write: the changes of that turn were not kept on the server (their clients
 * still hold them and send them again when they reconnect), and a server-side change did not land.
 */
export class StoreUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('the change could not be stored: the database refused the write; try again later', options)
    this.name = 'StoreUnavailableError'
  }
}
