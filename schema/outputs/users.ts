import { z } from 'zod'
import { userRow } from './rows.js'

const id = z.number().int()
const timestamp = z.iso.datetime()
const audit = { deleted: z.boolean(), deletedAt: timestamp.nullable(), createdAt: timestamp, updatedAt: timestamp }

/** An account with the names of its roles, as the user events answer it. */
const userAccount = userRow.extend({ roles: z.array(z.string()) })

/** The answers of the user events (`rpcOutputs` takes them in). */
export const userEventOutputs = {
  /** `initialPassword` only when one was generated: the one time it is shown. */
  userCreate: userAccount.extend({ initialPassword: z.string().optional() }),
  userBulkCreate: z.strictObject({
    createdUsers: z.array(userAccount.extend({ password: z.string() })),
    updatedUsers: z.array(userAccount),
    errors: z.array(z.strictObject({ email: z.string(), message: z.string() })),
  }),
  /** Names, e-mail and external id only for callers with the private-info right. */
  userGetByRole: z.array(
    z.strictObject({
      id,
      userName: z.string(),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
      email: z.string().optional(),
      extId: z.string().nullable().optional(),
    }),
  ),
  userGetDetails: userAccount,
  /** Right names by role id. */
  userGetRight: z.record(z.string(), z.array(z.string())),
  userUpdateDetails: userAccount,
  userResetPwd: z.null(),
  userConsentUpdate: userRow,
  /** The entries sent, each with `exists`. */
  userCheckExistsByMail: z.array(z.looseObject({ email: z.string(), exists: z.boolean() })),
  userGetRoleBasedRights: z.array(z.strictObject({ userRoleId: id, userRightName: z.string(), ...audit })),
  userGetAllRights: z.array(z.strictObject({ name: z.string(), description: z.string().nullable(), ...audit })),
  userAssignRoleRights: z.strictObject({ roleId: id, rights: z.array(z.string()) }),
}
