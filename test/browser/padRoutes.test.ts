import { describe, expect, it } from 'vitest'
import { padRoutes, padSessionCookie } from '../../server/pad/index.js'
import { lazyPadBundle, type PadBundle } from '../../server/pad/bundle.js'
import type { PadSessionView } from '../../server/rooms/index.js'

/** The pad's HTTP side on its own, with a fake session lookup: what the browser test cannot see. */

const roomId = '6f1c2b7e-3c1a-4d55-9a8e-0b2f4c6d8e10'
const secret = 's3cr3t-session-id'
const view: PadSessionView = {
  roomId,
  roomTitle: 'Weekly </script><script>alert(1)</script> & more',
  participantId: 'p-1',
  displayName: 'Bob <b>',
  access: 'read',
  startedAt: new Date(0),
}

function pad(secureCookie = false) {
  const logged: string[] = []
  const record = (event: string, fields?: Record<string, unknown>) => logged.push(JSON.stringify({ event, ...fields }))
  const app = padRoutes({
    describeSession: async (room, session) => (room === roomId && session === secret ? view : null),
    secureCookie,
    log: { debug: record, info: record, warn: record, error: record },
  })
  return { app, logged }
}

const link = (query: Record<string, string>) => `/auth_session?${new URLSearchParams(query)}`

describe('pad routes', () => {
  it('answers malformed links with 400 and a reason', async () => {
    const { app } = pad()
    for (const [query, reason] of [
      [{ sessionID: secret, padName: 'other', groupID: roomId }, 'padName'],
      [{ sessionID: secret, padName: 'protocol', groupID: 'not-a-room' }, 'groupID'],
      [{ padName: 'protocol', groupID: roomId }, 'sessionID'],
      [{ sessionID: 'x'.repeat(513), padName: 'protocol', groupID: roomId }, 'sessionID'],
    ] as const) {
      const response = await app.request(link(query))
      expect(response.status).toBe(400)
      expect(await response.text()).toContain(reason)
    }
  })

  it('refuses an unknown session with 403 and sets no cookie', async () => {
    const { app, logged } = pad()
    const response = await app.request(link({ sessionID: 'ended', padName: 'protocol', groupID: roomId }))
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('This pad link is no longer valid; ask the moderator for a new one')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(logged.join()).not.toContain('ended')
  })

  it('turns a valid link into an httpOnly per-room cookie and a redirect, without logging the secret', async () => {
    for (const secure of [false, true]) {
      const { app, logged } = pad(secure)
      const response = await app.request(link({ sessionID: secret, padName: 'protocol', groupID: roomId.toUpperCase() }))
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(`/pad/${roomId}`)
      // The link's query carries the session secret: it is neither cached nor sent on as a referrer.
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      const cookie = response.headers.get('set-cookie') ?? ''
      expect(cookie).toContain(`${padSessionCookie(roomId)}=${secret}`)
      expect(cookie).toContain('HttpOnly')
      expect(cookie).toContain('SameSite=Lax')
      expect(cookie).toContain('Path=/')
      expect(cookie.includes('Secure')).toBe(secure)
      expect(logged.join()).not.toContain(secret)
    }
  })

  it('serves the page only with a live session cookie, escaped, uncached and under a strict CSP', async () => {
    const { app } = pad()
    expect((await app.request(`/pad/${roomId}`)).status).toBe(403)
    const stale = await app.request(`/pad/${roomId}`, { headers: { cookie: `${padSessionCookie(roomId)}=ended` } })
    expect(stale.status).toBe(403)
    expect(stale.headers.get('set-cookie')).toContain(`${padSessionCookie(roomId)}=;`)
    expect((await app.request('/pad/not-a-room')).status).toBe(404)

    const response = await app.request(`/pad/${roomId}`, { headers: { cookie: `${padSessionCookie(roomId)}=${secret}`, host: 'pad.example:8443' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain('connect-src \'self\' ws://pad.example:8443 wss://pad.example:8443')
    expect(csp).not.toContain('unsafe-inline')
    const html = await response.text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('Weekly &lt;/script&gt;')
    const config = /<script type="application\/json" id="pad-config">(.*?)<\/script>/s.exec(html)?.[1] ?? ''
    expect(config).not.toContain('<')
    expect(JSON.parse(config)).toEqual({
      roomId,
      docName: `pad:${roomId}`,
      displayName: 'Bob <b>',
      participantId: 'p-1',
      access: 'read',
      roomTitle: view.roomTitle,
    })
    expect(html).toContain('<script type="module" src="/pad/client.js"></script>')
    expect(html).toContain('<link rel="stylesheet" href="/pad/client.css">')
  })

  it('serves the client bundle, revalidated by ETag', async () => {
    const { app } = pad()
    const script = await app.request('/pad/client.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('text/javascript')
    expect((await script.text()).length).toBeGreaterThan(10_000)
    const etag = script.headers.get('etag') ?? ''
    expect((await app.request('/pad/client.js', { headers: { 'if-none-match': etag } })).status).toBe(304)
    const style = await app.request('/pad/client.css')
    expect(style.headers.get('content-type')).toContain('text/css')
    expect(await style.text()).toContain('.ql-snow')
  })

  it('retries a failed bundle build on the next request', async () => {
    const built: PadBundle = { script: { contents: new Uint8Array([1]), etag: '"a"' }, style: { contents: new Uint8Array([2]), etag: '"b"' } }
    let attempts = 0
    const bundle = lazyPadBundle(async () => {
      attempts++
      if (attempts === 1) throw new Error('syntax error')
      return built
    })
    await expect(bundle()).rejects.toThrow('syntax error')
    expect(await bundle()).toBe(built)
    expect(await bundle()).toBe(built)
    expect(attempts).toBe(2)
  })
})
