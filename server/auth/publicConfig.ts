import { inArray, like, or } from 'drizzle-orm'
import { Hono } from 'hono'
import { type FolioDatabase, setting } from '../../schema/db/index.js'

/** The settings a page needs before anyone signs in: registration and login options, the copyright line, landing links. */
const publicKeys = [
  'app.config.copyright',
  'app.register.enabled',
  'app.register.requestName',
  'app.register.requestStats',
  'app.register.requestData',
  'app.register.terms',
  'app.register.acceptStats.default',
  'app.register.acceptDataSharing.default',
  'app.register.emailVerification',
  'app.login.guest',
  'app.login.forgotPassword',
]
const publicPrefix = 'app.landing.'

/**
 * `GET /config.js`: the public settings as a script setting `window.config`, for pages to load
 * before signing in. Only the keys above and `app.landing.*`; an admin-only setting never, even
 * under a public name.
 */
export function publicConfigRoutes(db: FolioDatabase): Hono {
  const app = new Hono()
  app.get('/config.js', async (c) => {
    const rows = await db
      .select({ key: setting.key, value: setting.value, type: setting.type, onlyAdmin: setting.onlyAdmin })
      .from(setting)
      .where(or(inArray(setting.key, publicKeys), like(setting.key, `${publicPrefix}%`)))
    const config = Object.fromEntries(rows.filter((row) => !row.onlyAdmin).map((row) => [row.key, typed(row.value, row.type)]))
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('Cache-Control', 'no-cache')
    // JSON inside a script: "<" escaped, so a setting's text cannot close the script element it may be inlined in.
    return c.body(`window.config = ${JSON.stringify(config).replace(/</g, '\\u003c')};\n`)
  })
  return app
}

function typed(value: string | null, type: string): unknown {
  if (value === null) return null
  if (type === 'boolean') return value === 'true'
  if (type === 'number') return Number(value)
  return value
}
