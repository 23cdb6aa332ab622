import { encodeMuxControl, encodeMuxData } from '../../schema/index.js'
import type { DocSocket } from './joinDoc.js'

/** The part of a multiplexed websocket its channels share. */
export interface MuxTransport {
  sendFrame(frame: Uint8Array): void
  readonly bufferedAmount: number
  /** Counted: the socket reads again once no channel holds frames any more. */
  pause(): void
  resume(): void
}

/**
 * One document of a `/mux` socket, as the engine's Connection sees a socket: its messages go out
 * tagged with its channel id, its close is a `closed` control message that leaves the socket and
 * the other channels open.
 */
export class MuxChannel implements DocSocket {
  private closeListeners: (() => void)[] = []
  private isGone = false
  private announced = false
  private paused = false

  constructor(
    readonly id: number,
    private readonly transport: MuxTransport,
  ) {}

  get isOpen(): boolean {
    return !this.isGone
  }

  get bufferedAmount(): number {
    return this.transport.bufferedAmount
  }

  /** Tells the client the doc is granted; before the first message at the latest, so nothing arrives on a channel it still waits for. */
  announce(): void {
    if (this.announced || this.isGone) return
    this.announced = true
    this.transport.sendFrame(encodeMuxControl({ type: 'opened', channel: this.id }))
  }

  send(message: Uint8Array): void {
    if (this.isGone) return
    this.announce()
    this.transport.sendFrame(encodeMuxData(this.id, message))
  }

  /** Closes this doc only: the client hears `closed` with the code and reason, as it would a websocket's close. */
  close(code: number, reason: string): void {
    if (this.isGone) return
    this.transport.sendFrame(encodeMuxControl({ type: 'closed', channel: this.id, code, reason }))
    this.gone()
  }

  pause(): void {
    if (this.paused || this.isGone) return
    this.paused = true
    this.transport.pause()
  }

  resume(): void {
    if (!this.paused) return
    this.paused = false
    this.transport.resume()
  }

  once(_event: 'close', listener: () => void): this {
    if (this.isGone) listener()
    else this.closeListeners.push(listener)
    return this
  }

  /** The channel ended without a word to the client: it closed the channel itself, or the socket is gone. */
  gone(): void {
    if (this.isGone) return
    this.isGone = true
    this.resume()
    const listeners = this.closeListeners
    this.closeListeners = []
    for (const listener of listeners) listener()
  }
}
