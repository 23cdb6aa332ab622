import { CloseCode } from '../schema/index.js'

export { CloseCode }

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

/**
 * A write turn was asked for from inside an open serialized transaction (say, `engine.transact` in
 * a transactional RPC handler). It would wait for the transaction it runs in, so it is refused:
 * a server-side doc change belongs after the commit (`ctx.afterCommit`).
 */
export class TransactionNestingError extends Error {
  constructor() {
    super('a write turn cannot be taken inside an open transaction; run it after the commit')
    this.name = 'TransactionNestingError'
  }
}

/** Shutdown rolled back a transaction still open after its bound, or refused one asked for after it: nothing of that call is stored. */
export class TransactionAbandonedError extends Error {
  constructor() {
    super('the call wrote nothing: the server is shutting down; try again')
    this.name = 'TransactionAbandonedError'
  }
}
