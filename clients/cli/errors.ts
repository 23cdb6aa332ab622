/** Exit codes of `folio`: scripts can tell a typo from a wrong password from a missing document. */
export const exitCodes = {
  ok: 0,
  unexpected: 1,
  /** Bad arguments, or the server refused the request as invalid (HTTP 400). */
  usage: 2,
  /** Sign-in failed (HTTP 401 or 429). */
  authentication: 3,
  /** The account may not read the document or export every user's entries (HTTP 403). */
  forbidden: 4,
  /** No such document, a seq past the end, or history trimmed by retention (HTTP 404). */
  notFound: 5,
  /** The server cannot be reached or the database file cannot be opened. */
  unavailable: 6,
  /** The output file cannot be written. */
  output: 7,
} as const

/** A failure to report as `folio: <message>` and exit with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError'

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

/** The exit code for an HTTP status (of the server, or of a FolioError in database mode). */
export function exitCodeForStatus(status: number | undefined): number {
  switch (status) {
    case 400:
      return exitCodes.usage
    case 401:
    case 429:
      return exitCodes.authentication
    case 403:
      return exitCodes.forbidden
    case 404:
      return exitCodes.notFound
    case 503:
      return exitCodes.unavailable
    default:
      return exitCodes.unexpected
  }
}
