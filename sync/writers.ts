/**
 * Who made a change to a live document, as its transaction origin says: a `ClientWriter` is a
 * client's connection, whose changes the document hooks check; a `ServerWriter` is Folio itself (an
 * RPC call's change, a guard's repair, a replay of updates checked when they came in), trusted.
 */
export abstract class ClientWriter {
  /** The account the change is attributed to. */
  abstract readonly userId: string | null
  /** Administrators: hooks let them change every entry. */
  abstract readonly privileged: boolean
  /** The Yjs client id the client is known by, for updates that do not tell (delete-only ones). */
  abstract readonly clientIdHint: number | null
}

export class ServerWriter {
  constructor(
    readonly userId: string | null,
    readonly clientIdHint: number | null = null,
  ) {}
}

/** The writer behind a transaction origin; null for an origin Folio did not set. */
export function writerOf(origin: unknown): ClientWriter | ServerWriter | null {
  return origin instanceof ClientWriter || origin instanceof ServerWriter ? origin : null
}
