import { readAuthMessage } from 'y-protocols/auth'
import { messageAuth, type WebsocketProvider } from 'y-websocket'
import { CloseCode } from '../schema/wire/index.js'

/** A change of what the server lets this client do with a doc, as it was told over the sync socket. */
export type DocAccessChange = { access: 'read'; reason: string } | { access: 'none'; code: number; reason: string }

/** Close codes of the sync endpoint that mean "not with these credentials": reconnecting could only be refused again. */
const accessEndingCodes = new Set<number>([CloseCode.unauthenticated, CloseCode.forbidden])

/**
 * Follows the server's decisions on a provider's doc. `read`: it answered an update with the
 * protocol's permission-denied message, i.e. dropped it because the connection may only read now
 * (write access withdrawn, a read-only editor forced open); the stock handler only logs to the
 * console, which would leave someone typing into a copy that is never saved. `none`: it closed the
 * socket with 4403 or 4401 (access withdrawn, document gone, logged out); the provider then stops
 * reconnecting until the caller connects it again.
 */
export function watchDocAccess(provider: WebsocketProvider, onChange: (change: DocAccessChange) => void): void {
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    readAuthMessage(decoder, provider.doc, (_doc, reason) => {
      console.warn(`Permission denied to access ${provider.url}.\n${reason}`)
      onChange({ access: 'read', reason })
    })
  }
  provider.on('connection-close', (event) => {
    if (!event || !accessEndingCodes.has(event.code) || !provider.shouldConnect) return
    // The socket is already closing; not reconnecting is all that is left (disconnect() here would
    // announce a second close, without its code, to the listeners still to hear this one).
    provider.shouldConnect = false
    onChange({ access: 'none', code: event.code, reason: event.reason })
  })
}
