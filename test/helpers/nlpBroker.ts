import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'

/** A skill request as the broker receives it. */
export interface BrokerRequest {
  id: string
  name: string
  data: Record<string, unknown>
  clientId: string
}

/** What the broker answers a request with: `skillResults` data, an error, or nothing (it stays silent). */
export type BrokerAnswer = { data: unknown } | { error: string } | null

/**
 * A local NLP broker speaking the broker's socket.io protocol: it refuses connections without
 * `auth.token`, answers `skillGetAll` with `skillUpdate`, `skillGetConfig` with `skillConfig`, and
 * `skillRequest` with `skillResults` as `answer` says. Started on `port` (0: a free one), so a
 * test can stop it and start another on the same port as a restart.
 */
export class TestBroker {
  readonly requests: BrokerRequest[] = []
  /** How each request is answered; by default with `{echo: data}`. */
  answer: (request: BrokerRequest) => BrokerAnswer = (request) => ({ data: { echo: request.data } })

  private constructor(
    private readonly http: HttpServer,
    private readonly io: Server,
    readonly port: number,
  ) {}

  static async start({ token, skills, port = 0 }: { token: string; skills: { name: string; nodes: number }[]; port?: number }): Promise<TestBroker> {
    const http = createServer()
    const io = new Server(http)
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve))
    const broker = new TestBroker(http, io, (http.address() as AddressInfo).port)
    io.use((socket, next) => (socket.handshake.auth.token === token ? next() : next(new Error('wrong token'))))
    io.on('connection', (socket) => {
      socket.on('skillGetAll', () => socket.emit('skillUpdate', skills))
      socket.on('skillGetConfig', ({ name }: { name: string }) => socket.emit('skillConfig', { name, input: { data: 'text' }, output: { result: 'labels' } }))
      socket.on('skillRequest', (request: BrokerRequest) => {
        broker.requests.push(request)
        const answer = broker.answer(request)
        if (answer) socket.emit('skillResults', { id: request.id, clientId: request.clientId, ...answer })
      })
    })
    return broker
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Number of sockets connected now. */
  get connections(): number {
    return this.io.of('/').sockets.size
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()))
    this.http.closeAllConnections()
  }
}
