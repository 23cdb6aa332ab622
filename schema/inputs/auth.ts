import { z } from 'zod'

/** A user name: what `/auth/login` takes besides an e-mail address. */
export const userNameInput = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')

/** A new password. */
export const passwordInput = z.string().min(8, 'at least 8 characters').max(1024)

/** `POST /auth/login`: userName or email, and the password. */
export const loginInput = z.object({
  userName: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
})

/** `POST /auth/register`. */
export const registerInput = z.object({
  userName: userNameInput,
  email: z.email().max(254),
  password: passwordInput,
  firstName: z.string().max(100).optional(),
  lastName: z.string().max(100).optional(),
  acceptTerms: z.literal(true, { error: 'the terms must be accepted' }),
  acceptStats: z.boolean().default(false),
  acceptDataSharing: z.boolean().default(false),
})

/** `POST /auth/request-password-reset` and `POST /auth/resend-verification`: the account's e-mail address. */
export const accountMailInput = z.object({ email: z.email().max(254) })

/** The token of an account mail's link, as its query (`GET /auth/check-reset-token`, `GET /auth/verify-email`) carries it. */
export const accountTokenInput = z.object({ token: z.string().min(1).max(200) })

/** `POST /auth/reset-password`: the token of the reset mail and the new password. */
export const resetPasswordInput = z.object({ token: z.string().min(1).max(200), password: passwordInput })
