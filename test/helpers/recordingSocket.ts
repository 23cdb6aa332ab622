import * as decoding from 'lib0/decoding'
import type { SyncSocket } from '../../sync/index.js'
import { frameKind } from './clients.js'

/** An in-process transport: the engine writes frames into it like into a websocket. */
export class RecordingSocket implements SyncSocket {
  readonly frames: Uint8Array[] = []
  closedWith: { code: number; reason: string } | null = null
  bufferedAmount = 0
  /** Called after each frame is recorded, to act at a chosen point of the engine's schedule. */
  onSend: (() => void) | null = null

  send(message: Uint8Array): void {
    this.frames.push(message)
    this.onSend?.()
  }

  close(code: number, reason: string): void {
    this.closedWith = { code, reason }
  }

  /** The sync updates (broadcasts) among the frames. */
  updates(): Uint8Array[] {
    return this.frames.filter((f) => frameKind(f).type === 0 && frameKind(f).subtype === 2)
  }

  /** The Yjs update each broadcast carries. */
  updatePayloads(): Uint8Array[] {
    return this.updates().map((f) => decoding.readVarUint8Array(frameKind(f).decoder))
  }
}
