import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/index.js'

describe('configuration from the environment', () => {
  it('has defaults that work out of the box', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 1234, dbSynchronous: 'NORMAL', logLevel: 'warn' })
    expect(config.dbPath).toMatch(/data\/folio\.db$/)
    expect(config.auth).toMatchObject({ adminPassword: null, tokenLifetimeMs: 24 * 3600 * 1000, scratchDocAccess: 'write' })
  })

  it('reads overrides', () => {
    const config = loadConfig({ PORT: '0', FOLIO_SCRATCH_DOC_ACCESS: 'none', FOLIO_GC: 'false', FOLIO_TOKEN_TTL_SECONDS: '60' })
    expect(config.port).toBe(0)
    expect(config.auth.scratchDocAccess).toBeNull()
    expect(config.auth.tokenLifetimeMs).toBe(60_000)
    expect(config.sync.gc).toBe(false)
  })

  it.each([
    ['PORT', 'http'],
    ['FOLIO_MAX_MESSAGE_BYTES', '10'],
    ['FOLIO_LOG_LEVEL', 'loud'],
    ['FOLIO_SCRATCH_DOC_ACCESS', 'admin'],
  ])('names the variable when %s=%s is invalid', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}=`))
  })
})
