import { z } from 'zod'
import { passwordInput, userNameInput } from './auth.js'

const id = z.number().int().positive()
const email = z.email().max(254)
const personName = z.string().max(100)
/** A role's name as the `user_role` table holds it. */
const roleName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')
const rightName = z.string().min(1).max(200)

/** `userCreate` (admin): a new account; without `password` one is generated and answered once. */
export const userCreateInput = z.strictObject({
  userName: userNameInput,
  email,
  firstName: personName.optional(),
  lastName: personName.optional(),
  password: passwordInput.optional(),
  /** Roles besides `user`, which every account has. */
  roles: z.array(roleName).max(20).optional(),
})

/** One account of a `userBulkCreate` import: `roles` are the ones it has on the platform it comes from, translated by the role map. */
export const importedUserInput = z.strictObject({
  email,
  userName: userNameInput.optional(),
  firstName: personName.optional(),
  lastName: personName.optional(),
  extId: z.union([z.string().max(200), z.number()]).transform(String).optional(),
  roles: z.array(z.string().min(1).max(64)).max(20).optional(),
})
export type ImportedUser = z.infer<typeof importedUserInput>

/**
 * `userBulkCreate` (admin): creates the accounts whose e-mail is new and updates the others.
 * `roleMap` (external role -> Folio role) replaces the `system.users.roleMap` setting for this call.
 */
export const userBulkCreateInput = z.strictObject({
  users: z.array(importedUserInput).min(1).max(5000),
  roleMap: z.record(z.string().min(1).max(64), roleName).optional(),
  progressId: z.string().max(200).optional(),
})

/** `userGetByRole`: the users holding `role` (`all`: every user); needs the right `backend.socket.user.getUsers.<role>`. */
export const userGetByRoleInput = z.strictObject({ role: roleName })

/** `userGetDetails`, `userGetRight`: one account, the caller's own or, for admins, anyone's. */
export const userRefInput = z.strictObject({ userId: id })

/** `userUpdateDetails`: names and e-mail (the account itself, or admins); `roles` replaces the account's roles (admins only). */
export const userUpdateDetailsInput = z.strictObject({
  userId: id,
  userData: z.strictObject({
    firstName: personName.nullable().optional(),
    lastName: personName.nullable().optional(),
    email: email.optional(),
    roles: z.array(roleName).max(20).optional(),
  }),
})

/** `userResetPwd`: a new password for your own account (with the old one), or for anyone's (admins). */
export const userResetPwdInput = z.strictObject({
  userId: id,
  password: passwordInput,
  oldPassword: z.string().min(1).max(1024).optional(),
})

/** `userConsentUpdate`: the caller's consents. */
export const userConsentUpdateInput = z.strictObject({
  acceptTerms: z.boolean(),
  acceptStats: z.boolean(),
  acceptDataSharing: z.boolean(),
})

/** `userCheckExistsByMail` (admin): each entry comes back with `exists`. */
export const userCheckExistsByMailInput = z.array(z.looseObject({ email })).min(1).max(5000)

/** `userGetRoleBasedRights` (admin): the rights one role holds. */
export const roleRefInput = z.strictObject({ roleId: id })

/** `userAssignRoleRights` (admin): rights a role gains and loses. */
export const userAssignRoleRightsInput = z.strictObject({
  roleId: id,
  newRights: z.array(rightName).max(500).default([]),
  deletedRights: z.array(rightName).max(500).default([]),
})
