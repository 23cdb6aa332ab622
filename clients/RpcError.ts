/**
 * Why a call failed: the server answered `success: false` (`server`), no answer came in time
 * (`timeout`), the events socket closed before the answer (`disconnected`), the request did not
 * reach the server (`network`), or the client was closed (`closed`).
 */
export type RpcFailure = 'server' | 'timeout' | 'disconnected' | 'network' | 'closed'

/** A failed RPC or auth call; `message` is the server's message when the server answered. */
export class RpcError extends Error {
  override readonly name = 'RpcError'

  constructor(
    message: string,
    /** The RPC event, or the auth route (`auth/login`). */
    readonly event: string,
    /** The HTTP status, when the call went over HTTP and got an answer. */
    readonly status: number | undefined = undefined,
    readonly reason: RpcFailure = 'server',
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
