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
  forbidden: 4403,
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
