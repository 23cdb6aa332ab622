import type { z } from 'zod'
import { type RoomEvent, type RoomEventPayload, type SignalingNamespace, signalingEnvelope } from '../../schema/index.js'
import { describeIssues } from '../http/body.js'

/**
 * An error answered to the sender of a command as `{namespace, timestamp, payload: {message: 'error',
 * error: kind}}`; `detail` says what was wrong in words.
 */
export class SignalingError extends Error {
  constructor(
    readonly namespace: SignalingNamespace,
    readonly kind: string,
    readonly detail?: string,
  ) {
    super(detail ?? kind)
    this.name = 'SignalingError'
  }
}

/** The error a malformed frame gets: every unreadable frame is answered with control `invalid_json`. */
const invalidJson = (detail: string) => new SignalingError('control', 'invalid_json', detail)

/** A server frame, with its timestamp to the second. */
export function encodeEvent(namespace: SignalingNamespace, payload: RoomEventPayload, now = new Date()): string {
  const event: RoomEvent = { namespace, timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), payload }
  return JSON.stringify(event)
}

export function errorPayload(error: SignalingError): RoomEventPayload {
  return error.detail === undefined ? { message: 'error', error: error.kind } : { message: 'error', error: error.kind, detail: error.detail }
}

/** Reads a client frame's envelope `{namespace, payload: {action}}`; throws `invalid_json` with the reason. */
export function decodeEnvelope(data: Buffer, isBinary: boolean): z.infer<typeof signalingEnvelope> {
  if (isBinary) throw invalidJson('binary frames are not part of the protocol; send JSON text')
  let parsed: unknown
  try {
    parsed = JSON.parse(data.toString('utf8'))
  } catch {
    throw invalidJson('the frame is not JSON')
  }
  const envelope = signalingEnvelope.safeParse(parsed)
  if (!envelope.success) throw invalidJson(`not a command envelope {namespace, payload: {action}}: ${describeIssues(envelope.error)}`)
  return envelope.data
}

/** Validates a namespace's command; a wrong action or field answers `invalid_json` naming it. */
export function parseCommand<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const command = schema.safeParse(payload)
  if (!command.success) throw invalidJson(describeIssues(command.error))
  return command.data
}
