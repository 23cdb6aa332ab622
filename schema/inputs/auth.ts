import { z } from 'zod'

/** `POST /auth/login`: userName or email, and the password. */
export const loginInput = z.object({
  userName: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
})

/** `POST /auth/register`. */
export const registerInput = z.object({
  userName: z
    .string()
    .min(3)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only'),
  email: z.email().max(254),
  password: z.string().min(8, 'at least 8 characters').max(1024),
  firstName: z.string().max(100).optional(),
  lastName: z.string().max(100).optional(),
  acceptTerms: z.literal(true, { error: 'the terms must be accepted' }),
  acceptStats: z.boolean().default(false),
  acceptDataSharing: z.boolean().default(false),
})
