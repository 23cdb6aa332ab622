import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { NotFoundError } from '../../server/errors.js'
import { createHttpApp } from '../../server/http/httpApp.js'
import { OriginPolicy } from '../../server/http/OriginPolicy.js'
import { StoreUnavailableError } from '../../sync/index.js'
import { rpc } from '../helpers/accounts.js'
import { createRoom, startServerWithUsers } from '../helpers/rooms.js'

/** The headers Hono's secure-headers middleware puts on every answer, and the one Folio leaves to its TLS proxy. */
function expectSecureHeaders(response: Response, what: string): void {
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff')
  expect(response.headers.get('x-frame-options'), what).toBe('SAMEORIGIN')
  expect(response.headers.get('referrer-policy'), what).toBe('no-referrer')
  expect(response.headers.get('cross-origin-resource-policy'), what).toBe('same-origin')
  expect(response.headers.get('strict-transport-security'), what).toBeNull()
}

describe('the HTTP app every route is mounted on', () => {
  const logged: { event: string; fields: Record<string, unknown> }[] = []
  const record = (event: string, fields: Record<string, unknown> = {}) => void logged.push({ event, fields })
  const app = createHttpApp(new OriginPolicy([], null), { debug: record, info: record, warn: record, error: record })
  app.get('/boom', () => {
    throw new Error('the secret at /var/folio/keys went missing')
  })
  app.get('/missing', () => {
    throw new NotFoundError('no such thing')
  })
  app.get('/unstored', () => {
    throw new StoreUnavailableError({ cause: new Error('disk full') })
  })

  it('answers an unknown error 500 {success: false} through onError, logging its stack and never sending it', async () => {
    const response = await app.request('/boom')
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({ success: false, message: 'internal error in /boom' })
    expect(text).not.toContain('secret')
    expect(text).not.toContain('.ts:')
    expectSecureHeaders(response, 'a 500')
    const failure = logged.find((entry) => entry.event === 'request.failed')
    expect(failure?.fields.what).toBe('/boom')
    expect(String(failure?.fields.error)).toContain('the secret at /var/folio/keys went missing\n    at ')
  })

  it('answers typed errors with their status, and a write the store refused with 503 and Retry-After', async () => {
    const missing = await app.request('/missing')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ success: false, message: 'no such thing' })
    const unstored = await app.request('/unstored')
    expect(unstored.status).toBe(503)
    expect(unstored.headers.get('retry-after')).toBe('5')
    expect(await unstored.json()).toEqual({ success: false, message: 'the change could not be stored: the database refused the write; try again later' })
  })

  it('puts the secure headers on answers no route gave', async () => {
    const unknown = await app.request('/nowhere')
    expect(unknown.status).toBe(404)
    expectSecureHeaders(unknown, 'the not-found answer')
  })
})

describe('HTTP answers of a running server', () => {
  let running: Awaited<ReturnType<typeof startServerWithUsers>>
  let server: FolioServer
  let token: string

  beforeAll(async () => {
    running = await startServerWithUsers([])
    server = running.server
    token = running.adminToken
  })
  afterAll(() => running?.stop())

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers })

  it('carries the secure headers on every answer: data, refusals, errors, files and pages', async () => {
    const roomId = (await createRoom(server.url, token)).id
    const answers: [string, Promise<Response>][] = [
      ['health', get('/health')],
      ['a refused check', get('/auth/check')],
      ['a signed-in check', get('/auth/check', { authorization: `Bearer ${token}` })],
      ['an unknown RPC event', fetch(`${server.url}/rpc/nope`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })],
      ['a foreign page refused by the origin policy', fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { origin: 'https://elsewhere.example' } })],
      ['pad history', get(`/rooms/${roomId}/pad/history`, { authorization: `Bearer ${token}` })],
      ['an asset that does not exist', get('/assets/6f1c2b7e-3c1a-4d55-9a8e-0b2f4c6d8e10', { authorization: `Bearer ${token}` })],
      ['a pad page without a session', get(`/pad/${roomId}`)],
      ['no route', get('/nowhere')],
    ]
    for (const [what, answer] of answers) expectSecureHeaders(await answer, what)
  })

  it('answers every route behind requireUser 401 without a live login, before it reads anything', async () => {
    const created = await rpc<{ id: number }>(server.url, 'documentCreate', { name: 'Guarded' }, token)
    if (!created.body.success) throw new Error(created.body.message)
    const documentId = created.body.data.id
    const roomId = (await createRoom(server.url, token)).id
    const guarded = [
      `/documents/${documentId}/history`,
      `/documents/${documentId}/content`,
      `/documents/${documentId}/authorship`,
      `/documents/${documentId}/annotations/export`,
      `/documents/not-an-id/history`,
      `/rooms/${roomId}/pad/history`,
      `/rooms/${roomId}/pad/content`,
      `/rooms/${roomId}/pad/authorship`,
    ]
    for (const path of guarded) {
      for (const headers of [{}, { authorization: 'Bearer forged' }] as Record<string, string>[]) {
        const response = await get(path, headers)
        expect(response.status, path).toBe(401)
        expect(await response.json()).toEqual({ success: false, message: 'not logged in: send a valid token' })
      }
    }
    expect((await get(`/documents/${documentId}/history`, { authorization: `Bearer ${token}` })).status).toBe(200)
    expect((await get(`/rooms/${roomId}/pad/authorship`, { authorization: `Bearer ${token}` })).status).toBe(200)
  })

  it('answers an unknown error in a route 500 {success: false}, without its stack', async () => {
    const created = await rpc<{ id: number }>(server.url, 'documentCreate', { name: 'Corrupted' }, token)
    if (!created.body.success) throw new Error(created.body.message)
    const documentId = created.body.data.id
    // A log row that is no Yjs update: replaying it fails with Yjs' own decoding error, which no route expects.
    const sqlite = new Database(running.dbPath)
    try {
      sqlite.prepare('INSERT INTO doc_update (doc_id, seq, "update", created_at) VALUES (?, 1000, ?, ?)').run(documentDocName(documentId), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01]), Date.now())
    } finally {
      sqlite.close()
    }
    const path = `/documents/${documentId}/content?seq=1000`
    const response = await get(path, { authorization: `Bearer ${token}` })
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({ success: false, message: `internal error in /documents/${documentId}/content` })
    expect(text).not.toContain('    at ')
    expectSecureHeaders(response, 'the 500')
  })
})
