import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/index.js'

describe('configuration from the environment', () => {
  it('has defaults that work out of the box', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 1234, dbSynchronous: 'NORMAL', logLevel: 'warn' })
    expect(config.dbPath).toMatch(/data\/folio\.db$/)
    expect(config.devAccess.anonymous).toBe('write')
  })

  it('reads overrides, including the development tokens', () => {
    const config = loadConfig({ PORT: '0', FOLIO_DEV_TOKENS: 'a=write, b=read', FOLIO_ANONYMOUS_ACCESS: 'none', FOLIO_GC: 'false' })
    expect(config.port).toBe(0)
    expect([...config.devAccess.tokens]).toEqual([['a', 'write'], ['b', 'read']])
    expect(config.devAccess.anonymous).toBeNull()
    expect(config.sync.gc).toBe(false)
  })

  it.each([
    ['PORT', 'http'],
    ['FOLIO_MAX_MESSAGE_BYTES', '10'],
    ['FOLIO_LOG_LEVEL', 'loud'],
    ['FOLIO_DEV_TOKENS', 'a=admin'],
  ])('names the variable when %s=%s is invalid', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}=`))
  })
})
