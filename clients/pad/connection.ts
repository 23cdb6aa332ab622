import type { WebsocketProvider } from 'y-websocket'

export type PadStatus = 'connecting' | 'connected' | 'disconnected'

/** `ws(s)://<this origin>/sync`: same origin, so the browser sends the httpOnly pad cookie on the upgrade. */
export function syncServerUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

/**
 * Shows the provider's state in `element` (`connected` only once the doc has synced, so nobody
 * types into a pad that is still empty locally); `ended()` shows it disconnected for good once the
 * server ended the session.
 */
export function trackConnection(provider: WebsocketProvider, element: HTMLElement): { ended(): void } {
  let ended = false
  const show = (): void => {
    const status: PadStatus = ended || !(provider.wsconnected || provider.wsconnecting) ? 'disconnected' : provider.synced ? 'connected' : 'connecting'
    element.textContent = status
    element.dataset['state'] = status
  }
  provider.on('status', show)
  provider.on('sync', show)
  provider.on('connection-close', show)
  show()
  return {
    ended() {
      ended = true
      show()
    },
  }
}
