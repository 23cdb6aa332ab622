import { z } from 'zod'
import { shareRoles } from '../wire/columnValues.js'

const id = z.number().int().positive()
const shareRole = z.enum(shareRoles)
/** Exactly one of `keys` is given. */
const exactlyOne =
  (keys: readonly string[]) =>
  (input: Record<string, unknown>): boolean =>
    keys.filter((key) => input[key] !== undefined).length === 1

const targets = ['documentId', 'tagSetId'] as const
const grantees = ['userId', 'userName', 'userRoleId'] as const

/** What a share is about: one document or one tag set. */
const shareTarget = { documentId: id.optional(), tagSetId: id.optional() }

/**
 * `shareCreate`: shares a document or a tag set (exactly one) with a user, by id or user name, or
 * with every holder of a role (exactly one), as `editor`, `annotator` or `reader`.
 */
export const shareCreateInput = z
  .strictObject({ ...shareTarget, userId: id.optional(), userName: z.string().trim().min(1).max(200).optional(), userRoleId: id.optional(), role: shareRole })
  .refine(exactlyOne(targets), { message: 'give exactly one of documentId and tagSetId', path: ['documentId'] })
  .refine(exactlyOne(grantees), { message: 'give exactly one of userId, userName and userRoleId', path: ['userId'] })

/** `shareUpdate`: gives a share another role. */
export const shareUpdateInput = z.strictObject({ shareId: id, role: shareRole })

/** `shareRevoke`: ends a share; open sockets it let in are checked again at once. */
export const shareRevokeInput = z.strictObject({ shareId: id })

/** `shareList`: the live shares of a document or a tag set (exactly one), with the names of whom they name. */
export const shareListInput = z.strictObject(shareTarget).refine(exactlyOne(targets), { message: 'give exactly one of documentId and tagSetId', path: ['documentId'] })

/** The share events' inputs (`rpcInputs` takes them in). */
export const shareEventInputs = {
  shareCreate: shareCreateInput,
  shareUpdate: shareUpdateInput,
  shareRevoke: shareRevokeInput,
  shareList: shareListInput,
}
