import { fileURLToPath } from 'node:url'

/** Absolute path of the committed drizzle-kit migrations, applied at start. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url))
