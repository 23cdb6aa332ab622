import type { CloseInfo } from './EventsSocket.js'

/** The client's sockets to the server whose state makes it online. */
export type ServerSocket = 'events' | 'docs'

/**
 * Whether any of the client's sockets to the server is open: online from the first one to open,
 * offline once the last one closed (with that close's code and reason).
 */
export class Connectivity {
  private readonly open = new Set<ServerSocket>()

  constructor(
    private readonly onOnline: () => void,
    private readonly onOffline: (info: CloseInfo) => void,
  ) {}

  get online(): boolean {
    return this.open.size > 0
  }

  opened(socket: ServerSocket): void {
    const wasOnline = this.online
    this.open.add(socket)
    if (!wasOnline) this.onOnline()
  }

  closed(socket: ServerSocket, info: CloseInfo): void {
    if (!this.open.delete(socket)) return
    if (!this.online) this.onOffline(info)
  }
}
