import { describe, expect, it } from 'vitest'
import { createLogger, loadConfig } from '../../server/index.js'

/** A logger at `level` whose lines are kept, each parsed. */
function captured(level: Parameters<typeof createLogger>[0]) {
  const lines: string[] = []
  const log = createLogger(level, (line) => lines.push(line))
  return { log, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines }
}

describe('the server log', () => {
  it('writes one JSON line an entry: level, ISO time, event and the fields', () => {
    const { log, lines, entries } = captured('info')
    log.info('server.started', { host: '127.0.0.1', port: 1234 })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\{.*"event":"server\.started".*\}\n$/)
    expect(entries()).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), event: 'server.started', host: '127.0.0.1', port: 1234 }])
  })

  it('is quiet by default: warnings and errors only, nothing when silent', () => {
    const { log, entries } = captured(loadConfig({}).logLevel)
    log.debug('a.debug')
    log.info('a.info')
    log.warn('a.warn')
    log.error('a.error', { error: 'boom' })
    expect(entries().map((entry) => [entry.level, entry.event])).toEqual([
      ['warn', 'a.warn'],
      ['error', 'a.error'],
    ])
    const silent = captured('silent')
    silent.log.error('never.written')
    expect(silent.lines).toEqual([])
  })

  it('writes secret-bearing fields as [redacted], at the top and one object down', () => {
    const { log, lines, entries } = captured('debug')
    log.info('auth.login_failed', {
      userName: 'alice',
      password: 'hunter2-password',
      token: 'login-token-value',
      secret: 'pad-session-secret',
      headers: { authorization: 'Bearer header-token', cookie: 'folio_session=cookie-value', host: 'folio.test' },
    })
    expect(entries()[0]).toMatchObject({
      event: 'auth.login_failed',
      userName: 'alice',
      password: '[redacted]',
      token: '[redacted]',
      secret: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'folio.test' },
    })
    for (const value of ['hunter2-password', 'login-token-value', 'pad-session-secret', 'header-token', 'cookie-value']) expect(lines[0]).not.toContain(value)
  })
})
