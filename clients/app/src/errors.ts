/** What to tell the user about a failed call: the server's message (RpcError carries it) or the error's own. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
