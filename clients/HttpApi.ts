import type { z } from 'zod'
import type { registerInput } from '../schema/inputs/index.js'
import type { Answer } from '../schema/wire/index.js'
import { RpcError } from './RpcError.js'

/** A signed-in user as the server describes it (no secrets); timestamps are ISO strings. */
export interface AccountInfo {
  id: number
  userName: string
  [column: string]: unknown
}

/** What `POST /auth/register` takes: user name, e-mail, password, optional names, and the consents (`acceptTerms` must be true). */
export type Registration = z.input<typeof registerInput>

/** The answer of `POST /auth/login`. */
export interface LoginResult {
  token: string
  /** ISO timestamp after which the token no longer works. */
  expiresAt: string
  user: AccountInfo
}

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>

/** The server's HTTP routes: `/auth/*` and `POST /rpc/<event>`, authorized with `Bearer <token>`. */
export class HttpApi {
  constructor(
    private readonly baseUrl: string,
    private readonly fetch: FetchFunction,
    private readonly token: () => string | null,
  ) {}

  login(userName: string, password: string): Promise<LoginResult> {
    return this.request('POST', '/auth/login', 'auth/login', { userName, password }) as Promise<LoginResult>
  }

  /** Creates an account (where the server allows registration); it signs nobody in. */
  register(registration: Registration): Promise<{ user: AccountInfo }> {
    return this.request('POST', '/auth/register', 'auth/register', registration) as Promise<{ user: AccountInfo }>
  }

  /** Moves the current token's expiry a full lifetime on; rejects with status 401 when it is not live. */
  refresh(): Promise<{ expiresAt: string }> {
    return this.request('POST', '/auth/refresh', 'auth/refresh', {}) as Promise<{ expiresAt: string }>
  }

  /** Revokes the current token on the server. */
  async logout(): Promise<void> {
    await this.request('POST', '/auth/logout', 'auth/logout', {})
  }

  /** The user of the current token; rejects with status 401 when it is not valid (any more). */
  check(): Promise<{ user: AccountInfo }> {
    return this.request('GET', '/auth/check', 'auth/check') as Promise<{ user: AccountInfo }>
  }

  /** `GET <path>` of a read-only route (the history routes), the answer's data. */
  get(path: string, what: string): Promise<unknown> {
    return this.request('GET', path, what)
  }

  rpc(event: string, data: unknown): Promise<unknown> {
    // An HTTP body cannot be "nothing", and the no-input events accept `{}`.
    return this.request('POST', `/rpc/${encodeURIComponent(event)}`, event, data === undefined ? {} : data)
  }

  private async request(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<unknown> {
    const token = this.token()
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    let response: Response
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    } catch (error) {
      throw new RpcError(`cannot reach the server: ${error instanceof Error ? error.message : String(error)}`, what, undefined, 'network', { cause: error })
    }
    let answer: Answer
    try {
      answer = (await response.json()) as Answer
    } catch (error) {
      throw new RpcError(`the server answered HTTP ${response.status} without a JSON body`, what, response.status, 'server', { cause: error })
    }
    if (answer?.success === true) return answer.data
    throw new RpcError(answer?.message ?? `the server answered HTTP ${response.status}`, what, response.status, 'server')
  }
}
