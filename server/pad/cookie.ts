/**
 * Name of the cookie carrying a pad session for one room. One cookie per room, so a browser can
 * sit in two rooms at once; room ids are UUIDs, which are valid cookie-name characters.
 */
export function padSessionCookie(roomId: string): string {
  return `folio_pad_${roomId}`
}
