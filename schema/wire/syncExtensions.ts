/**
 * Folio's own outer message types on the sync socket, beside y-websocket's (0 sync, 1 awareness,
 * 2 auth, 3 queryAwareness). They start at 100, clear of the types y-websocket's forks add after 3.
 * Only Folio's SDK sends them; a stock client never does, and the server answers one it does not
 * know by closing the socket.
 */
export const FolioMessageType = {
  /**
   * `[100][varUint typedAtMs][varUint8Array update]`: a Yjs update, as a sync update frame carries
   * it, and when it was typed (ms since the epoch, the client's clock). The server stores it like
   * any update, with the time beside its own arrival time, within the bounds it trusts.
   */
  timedUpdate: 100,
} as const
