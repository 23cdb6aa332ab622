import type { Logger } from '../../sync/index.js'

/** What a live pad session grants: who the participant is, in which room, with which access. */
export interface PadSessionView {
  roomId: string
  roomTitle: string
  participantId: string
  displayName: string
  access: 'write' | 'read'
}

export interface PadRouteDeps {
  /** The live session `sessionId` grants in room `roomId`, or null if it is unknown, ended, or of another room. */
  describeSession(roomId: string, sessionId: string): PadSessionView | null
  secureCookie: boolean
  log: Logger
}
