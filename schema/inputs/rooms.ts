import { z } from 'zod'

/** A room id: a UUID. */
export const roomIdSchema = z.uuid({ error: 'roomId must be a room id (a UUID)' })

/** The room id in canonical (lower-case) form, or null when `value` is not one. */
export function parseRoomId(value: string | undefined): string | null {
  const parsed = roomIdSchema.safeParse(value?.toLowerCase())
  return parsed.success ? parsed.data : null
}

/** `roomCreate`: a meeting room; the caller owns it and is its moderator. */
export const roomCreateInput = z.strictObject({ title: z.string().trim().min(1).max(200) })

/** `roomGet`, `roomDelete`, `roomGuestLinkCreate`. */
export const roomRefInput = z.strictObject({ roomId: roomIdSchema })

const participantId = z.uuid({ error: 'participant ids are UUIDs' })
/** Any string: an id that names nobody in the room is refused as `invalid_participant_selection`, as the original does. */
const participantIds = z.array(z.string().max(100)).max(1000)

/**
 * Client frames on `/signaling/<roomId>`: `{namespace, payload: {action, ...}}`. The envelope is
 * checked first (a frame that is not one answers `invalid_json`), then the namespace, then the
 * namespace's command.
 */
export const signalingEnvelope = z.object({
  namespace: z.string().max(64),
  payload: z.looseObject({ action: z.string().max(64) }),
})
export type RoomCommand = z.input<typeof signalingEnvelope>

/** Commands of the `control` namespace. Unknown fields are ignored, as the original's serde does. */
export const controlCommand = z.discriminatedUnion('action', [
  z.object({ action: z.literal('join'), display_name: z.string().optional(), resumption: z.string().max(100).optional() }),
  z.object({ action: z.literal('grant_moderator_role'), target: participantId }),
  z.object({ action: z.literal('revoke_moderator_role'), target: participantId }),
])
export type ControlCommand = z.infer<typeof controlCommand>

/** Commands of the `protocol` namespace (the meeting protocol pad). Unknown fields are ignored. */
export const protocolCommand = z.discriminatedUnion('action', [
  z.object({ action: z.literal('select_writer'), participant_ids: participantIds }),
  z.object({ action: z.literal('deselect_writer'), participant_ids: participantIds }),
  z.object({ action: z.literal('generate_pdf') }),
])
export type ProtocolCommand = z.infer<typeof protocolCommand>
