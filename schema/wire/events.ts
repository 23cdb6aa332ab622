import type { Answer } from './answers.js'

/** A call on the `/events` socket: an RPC event by name, answered by an `EventsAnswer` with the same `id`. */
export interface EventsCall {
  id: string | number
  event: string
  data?: unknown
}

/** The answer to an `EventsCall`; `id` is null when the frame was too broken to carry one. */
export type EventsAnswer = { id: string | number | null } & Answer

/** A push from the server, such as `<table>Refresh`. */
export interface EventsPush {
  event: string
  data: unknown
}

/** What the server sends on the `/events` socket. */
export type EventsServerFrame = EventsAnswer | EventsPush
