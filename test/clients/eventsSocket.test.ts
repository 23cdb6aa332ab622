import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { backoffDelay, createClient, RpcError } from '../../clients/index.js'
import { EventsSocket } from '../../clients/EventsSocket.js'
import { waitFor } from './harness.js'

/** A scripted WebSocket: the test decides when each instance opens or closes. */
class FakeWebSocket {
  static instances: FakeWebSocket[] = []
  readyState = 0
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  sent: string[] = []
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this)
  }
  send(data: string): void {
    this.sent.push(data)
  }
  close(): void {
    this.serverClose(1000)
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  serverClose(code: number, reason = ''): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

describe('backoff', () => {
  it('waits a uniform time below min(max, base * 2^attempt): full jitter', () => {
    const almostOne = () => 0.999999
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, { baseMs: 100, maxMs: 1_000, random: almostOne }))).toEqual([99, 199, 399, 799, 999, 999, 999])
    expect(backoffDelay(3, { baseMs: 100, maxMs: 1_000, random: () => 0 })).toBe(0)
    expect(backoffDelay(3, { baseMs: 100, maxMs: 1_000, random: () => 0.5 })).toBe(400)
    // The defaults: base 500 ms, max 30 s.
    expect(backoffDelay(0, { random: almostOne })).toBe(499)
    expect(backoffDelay(50, { random: almostOne })).toBe(29_999)
  })
})

describe('EventsSocket reconnects', () => {
  afterEach(() => {
    vi.useRealTimers()
    FakeWebSocket.instances = []
  })

  function socket(events: string[] = []) {
    return new EventsSocket({
      url: () => 'ws://example.test/events?token=t',
      WebSocket: FakeWebSocket,
      backoff: { baseMs: 100, maxMs: 1_000, random: () => 0.5 },
      callTimeoutMs: 1_000,
      onOpen: () => events.push('open'),
      onClose: ({ code, willRetry }) => events.push(`close ${code} ${willRetry}`),
      onUnauthenticated: ({ code }) => events.push(`unauthenticated ${code}`),
      onPush: (event) => events.push(`push ${event}`),
    })
  }

  /** Times between consecutive connection attempts while every attempt fails. */
  function failingAttemptGaps(count: number): number[] {
    const gaps: number[] = []
    for (let i = 0; i < count; i++) {
      const before = FakeWebSocket.instances.length
      FakeWebSocket.instances.at(-1)!.serverClose(1006)
      let waited = 0
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(1)
        waited++
        if (waited > 10_000) throw new Error('no reconnect attempt')
      }
      gaps.push(waited)
    }
    return gaps
  }

  it('backs off exponentially up to the maximum, and starts over after a successful open', () => {
    vi.useFakeTimers()
    const events: string[] = []
    const s = socket(events)
    s.start()
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(failingAttemptGaps(6)).toEqual([50, 100, 200, 400, 500, 500])

    FakeWebSocket.instances.at(-1)!.open()
    expect(s.isOpen).toBe(true)
    expect(failingAttemptGaps(2)).toEqual([50, 100])
    expect(events).toEqual(['open', 'close 1006 true'])
    s.stop()
  })

  it('stops on close code 4401 and on stop(), and rejects calls waiting for an answer', async () => {
    vi.useFakeTimers()
    const events: string[] = []
    const s = socket(events)
    s.start()
    FakeWebSocket.instances[0]!.open()
    const pending = s.call('appInit', undefined)
    expect(JSON.parse(FakeWebSocket.instances[0]!.sent[0]!)).toEqual({ id: 1, event: 'appInit' })
    FakeWebSocket.instances[0]!.serverClose(4401, 'token expired or revoked')
    await expect(pending).rejects.toMatchObject({ name: 'RpcError', reason: 'disconnected' })
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(events).toEqual(['open', 'close 4401 false', 'unauthenticated 4401'])

    s.start()
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.instances[1]!.open()
    s.stop()
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it('matches answers to calls by id and passes pushes on', async () => {
    const events: string[] = []
    const s = socket(events)
    s.start()
    const ws = FakeWebSocket.instances[0]!
    ws.open()
    const first = s.call('a', 1)
    const second = s.call('b', 2)
    const [one, two] = ws.sent.map((frame) => JSON.parse(frame) as { id: number })
    ws.onmessage!({ data: JSON.stringify({ id: two!.id, success: false, message: 'no b' }) })
    ws.onmessage!({ data: JSON.stringify({ event: 'documentRefresh', data: [] }) })
    ws.onmessage!({ data: JSON.stringify({ id: one!.id, success: true, data: 'A' }) })
    await expect(first).resolves.toBe('A')
    await expect(second).rejects.toMatchObject({ message: 'no b', event: 'b', reason: 'server' })
    expect(events).toEqual(['open', 'push documentRefresh'])
    s.stop()
  })
})

describe('calls over a socket that does not answer', () => {
  let wss: WebSocketServer | undefined
  afterEach(() => new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve())))

  async function silentServer(onFrame: (ws: WebSocket) => void): Promise<string> {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((resolve) => wss!.once('listening', resolve))
    wss.on('connection', (ws) => ws.on('message', () => onFrame(ws)))
    return `http://127.0.0.1:${(wss.address() as AddressInfo).port}`
  }

  it('time out with reason "timeout"', async () => {
    const url = await silentServer(() => {})
    const client = createClient({ url, WebSocket, token: 'some-token', rpcTimeoutMs: 100 })
    await client.whenConnected(5_000)
    const error = await client.rpc('appInit').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect(error).toMatchObject({ reason: 'timeout', event: 'appInit' })
    client.close()
  })

  it('fail with reason "disconnected" when the socket drops first, and the client reconnects', async () => {
    const url = await silentServer((ws) => ws.close(1011, 'gone'))
    const client = createClient({ url, WebSocket, token: 'some-token', reconnect: { baseMs: 20, maxMs: 100 } })
    let connections = 0
    client.on('connected', () => connections++)
    await client.whenConnected(5_000)
    await expect(client.rpc('appInit')).rejects.toMatchObject({ name: 'RpcError', reason: 'disconnected' })
    await waitFor('a reconnect', () => connections === 2)
    client.close()
  })
})
