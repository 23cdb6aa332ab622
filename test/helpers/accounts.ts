import type { Answer } from '../../schema/index.js'

export type { Answer }

/** The admin password every test server is started with. */
export const adminPassword = 'admin-test-password'

/** POSTs JSON and returns the status and parsed answer. */
export async function post<T = unknown>(baseUrl: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: Answer<T> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Answer<T> }
}

/** Signs in and returns the token; throws if the login fails. */
export async function login(baseUrl: string, userName: string, password: string): Promise<string> {
  const { status, body } = await post<{ token: string }>(baseUrl, '/auth/login', { userName, password })
  if (!body.success) throw new Error(`login of ${userName} failed with ${status}: ${body.message}`)
  return body.data.token
}

/** Registers `userName` (password `<userName>-password`) and signs in. */
export async function registerAndLogin(baseUrl: string, userName: string): Promise<{ token: string; userId: number }> {
  const password = `${userName}-password`
  const { body } = await post<{ user: { id: number } }>(baseUrl, '/auth/register', {
    userName,
    email: `${userName}@example.test`,
    password,
    acceptTerms: true,
  })
  if (!body.success) throw new Error(`registering ${userName} failed: ${body.message}`)
  return { token: await login(baseUrl, userName, password), userId: body.data.user.id }
}

/** Calls an RPC event over HTTP. */
export function rpc<T = unknown>(baseUrl: string, event: string, data: unknown, token?: string) {
  return post<T>(baseUrl, `/rpc/${event}`, data, token)
}

/** Creates a document row as the owner of `token` over HTTP and returns its id; throws if refused. */
export async function createDocument(baseUrl: string, token: string, data: { name: string; public?: boolean }): Promise<number> {
  const { body } = await rpc<number>(baseUrl, 'appDataUpdate', { table: 'document', data }, token)
  if (!body.success) throw new Error(`creating document "${data.name}" failed: ${body.message}`)
  return body.data
}
