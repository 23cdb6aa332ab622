import { readAuthMessage } from 'y-protocols/auth'
import { messageAuth, type WebsocketProvider } from 'y-websocket'

export type PadStatus = 'connecting' | 'connected' | 'disconnected'

/** Close code the sync endpoint uses for access denied, also when a pad session is ended. */
const accessDenied = 4403

/** `ws(s)://<this origin>/sync`: same origin, so the browser sends the httpOnly pad cookie on the upgrade. */
export function syncServerUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

/**
 * Shows the provider's state in `element` (`connected` only once the doc has synced, so nobody
 * types into a pad that is still empty locally) and stops for good when the server ends the
 * session: reconnecting with the same cookie could only be refused again.
 */
export function trackConnection(provider: WebsocketProvider, element: HTMLElement, onSessionEnded: () => void): void {
  let ended = false
  const show = (): void => {
    const status: PadStatus = ended || !(provider.wsconnected || provider.wsconnecting) ? 'disconnected' : provider.synced ? 'connected' : 'connecting'
    element.textContent = status
    element.dataset['state'] = status
  }
  provider.on('status', show)
  provider.on('sync', show)
  provider.on('connection-close', (event) => {
    if (event?.code === accessDenied && !ended) {
      ended = true
      provider.shouldConnect = false
      provider.disconnect()
      onSessionEnded()
    }
    show()
  })
  show()
}

/**
 * Calls `onDenied` when the server answers an update with the protocol's permission-denied
 * message: it dropped the update because this connection may only read (the moderator took
 * write access away, or a read-only editor was forced open). The stock handler only logs to the
 * console, which would leave someone typing into a copy that is never saved.
 */
export function onPermissionDenied(provider: WebsocketProvider, onDenied: (reason: string) => void): void {
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    readAuthMessage(decoder, provider.doc, (_doc, reason) => {
      console.warn(`Permission denied to access ${provider.url}.\n${reason}`)
      onDenied(reason)
    })
  }
}
