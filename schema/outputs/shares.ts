import { z } from 'zod'
import { shareRoles } from '../wire/columnValues.js'

const id = z.number().int()
const timestamp = z.iso.datetime()
const audit = { deleted: z.boolean(), deletedAt: timestamp.nullable(), createdAt: timestamp, updatedAt: timestamp }

/** A row of `share`, as JSON carries it. */
export const shareRow = z.strictObject({
  id,
  documentId: id.nullable(),
  tagSetId: id.nullable(),
  userId: id.nullable(),
  userRoleId: id.nullable(),
  role: z.enum(shareRoles),
  createdByUserId: id,
  ...audit,
})

/** A share with the name of the user or role it names, as a share dialog lists it. */
export const shareListing = shareRow.extend({ userName: z.string().nullable(), roleName: z.string().nullable() })

/** The answers of the share events (`rpcOutputs` takes them in). */
export const shareEventOutputs = {
  shareCreate: shareListing,
  shareUpdate: shareListing,
  shareRevoke: shareListing,
  shareList: z.array(shareListing),
}
