import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, type FolioServer, loadConfig } from '../../server/index.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { syncUrl, startTestServer, tempDir } from '../helpers/server.js'

const editor = 'http://editor.example'
const sibling = 'http://evil.editor.example'

/** The status a websocket upgrade is answered with: 101 when it opens, else the HTTP status of the refusal. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

describe('FOLIO_ALLOWED_ORIGINS', () => {
  it('is a list of origins, none by default, and refuses anything else by name', () => {
    expect(loadConfig({}).allowedOrigins).toEqual([])
    expect(loadConfig({ FOLIO_ALLOWED_ORIGINS: ' https://Editor.Example.org/, http://127.0.0.1:5173 ,' }).allowedOrigins).toEqual([
      'https://editor.example.org',
      'http://127.0.0.1:5173',
    ])
    for (const value of ['https://editor.example.org/app', 'editor.example.org', 'ftp://editor.example.org', '*']) {
      expect(() => loadConfig({ FOLIO_ALLOWED_ORIGINS: value })).toThrow(ConfigError)
      expect(() => loadConfig({ FOLIO_ALLOWED_ORIGINS: value })).toThrow(/^FOLIO_ALLOWED_ORIGINS=/)
    }
  })
})

describe('requests from other origins', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let token: string

  beforeAll(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_ALLOWED_ORIGINS: editor })
    token = await login(server.url, 'admin', adminPassword)
  })
  afterAll(async () => {
    await server.close()
    tmp.remove()
  })

  const postFrom = (path: string, origin: string | undefined, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { ...(origin ? { origin } : {}), ...headers }, ...(body === undefined ? {} : { body }) })

  it('lets websocket upgrades in without an Origin, from the server itself and from listed origins', async () => {
    const doc = `${syncUrl(server)}/notes?token=${token}`
    expect(await upgradeStatus(doc)).toBe(101)
    expect(await upgradeStatus(doc, server.url)).toBe(101)
    expect(await upgradeStatus(doc, editor)).toBe(101)
    expect(await upgradeStatus(`${server.url.replace(/^http/, 'ws')}/events?token=${token}`, editor)).toBe(101)
  })

  it('refuses websocket upgrades from any other origin with 403, on every endpoint, before the handshake', async () => {
    const ws = server.url.replace(/^http/, 'ws')
    const otherPort = server.url.replace(/:\d+$/, ':1')
    for (const origin of [sibling, otherPort, 'null']) {
      expect(await upgradeStatus(`${syncUrl(server)}/notes?token=${token}`, origin)).toBe(403)
    }
    expect(await upgradeStatus(`${ws}/events?token=${token}`, sibling)).toBe(403)
    expect(await upgradeStatus(`${ws}/signaling/${crypto.randomUUID()}?token=${token}`, sibling)).toBe(403)
  })

  it('answers CORS preflights with credentials for listed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/auth/login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      })
    const listed = await preflight(editor)
    expect(listed.status).toBe(204)
    expect(listed.headers.get('access-control-allow-origin')).toBe(editor)
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(listed.headers.get('access-control-allow-headers')).toBe('content-type')
    const unlisted = await preflight(sibling)
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull()
    expect(unlisted.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('lets a listed origin log in with credentials and read the answer', async () => {
    const response = await postFrom('/auth/login', editor, { 'content-type': 'application/json' }, JSON.stringify({ userName: 'admin', password: adminPassword }))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(editor)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('set-cookie')).toMatch(/^folio_token=/)
  })

  it('refuses state-changing requests from other origins before they run, and gives their reads no CORS headers', async () => {
    // A plain-text POST needs no preflight; from a sibling subdomain the browser would attach the cookie.
    const forged = await postFrom('/auth/logout', sibling, { cookie: `folio_token=${token}`, 'content-type': 'text/plain' }, '{}')
    expect(forged.status).toBe(403)
    expect(await forged.json()).toEqual({ success: false, message: `requests from origin ${sibling} are not allowed here` })
    const check = await fetch(`${server.url}/auth/check`, { headers: { authorization: `Bearer ${token}` } })
    expect(check.status).toBe(200)

    const read = await fetch(`${server.url}/health`, { headers: { origin: sibling } })
    expect(read.status).toBe(200)
    expect(read.headers.get('access-control-allow-origin')).toBeNull()
    // Non-browser clients send no Origin, and pages of the server itself send its own.
    expect((await postFrom('/rpc/appInit', undefined, { authorization: `Bearer ${token}` })).status).toBe(200)
    expect((await postFrom('/rpc/appInit', server.url, { authorization: `Bearer ${token}` })).status).toBe(200)
  })
})
