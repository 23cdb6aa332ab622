import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, rpc } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'

describe('POST /rpc/<event>', () => {
  let server: FolioServer
  let tmp: ReturnType<typeof tempDir>
  let token: string

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath, { FOLIO_MAX_MESSAGE_BYTES: '65536' })
    token = await login(server.url, 'admin', adminPassword)
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  it('answers 401 without a valid token', async () => {
    expect(await rpc(server.url, 'appInit', {})).toEqual({ status: 401, body: { success: false, message: 'not logged in: send a valid token' } })
    expect((await rpc(server.url, 'appInit', {}, 'forged')).status).toBe(401)
  })

  it('answers an unknown event with success: false', async () => {
    expect(await rpc(server.url, 'noSuchEvent', {}, token)).toEqual({ status: 404, body: { success: false, message: 'unknown event "noSuchEvent"' } })
  })

  it('names the wrong field of invalid input', async () => {
    const { status, body } = await rpc(server.url, 'appDataUpdate', { table: 'document', data: 'not an object' }, token)
    expect(status).toBe(400)
    expect(body).toEqual({ success: false, message: expect.stringMatching(/^invalid input: data: /) })
  })

  it('refuses a body over the message size limit with 413', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(70_000) })
    const response = await fetch(`${server.url}/rpc/appInit`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: huge })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ success: false, message: 'request body larger than the limit of 65536 bytes' })
  })

  it('accepts an empty body for an event without input, and refuses a body that is not JSON', async () => {
    const empty = await fetch(`${server.url}/rpc/appInit`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(((await empty.json()) as { success: boolean }).success).toBe(true)
    const garbage = await fetch(`${server.url}/rpc/appInit`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{oops' })
    expect(garbage.status).toBe(400)
    expect(await garbage.json()).toEqual({ success: false, message: 'invalid input: the body must be JSON' })
  })
})
