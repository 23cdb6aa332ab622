import type { Logger } from '../../sync/index.js'
import type { PadSessionView } from '../rooms/index.js'

export interface PadRouteDeps {
  /** The live session `sessionId` grants in room `roomId`, or null if it is unknown, ended, or of another room. */
  describeSession(roomId: string, sessionId: string): Promise<PadSessionView | null>
  secureCookie: boolean
  log: Logger
}
