import { shallowRef } from 'vue'
import { createClient, RpcError } from '../../index.js'

/** The signed-in user as the app needs them (from `appInit`'s `appUser`). */
export interface AppUser {
  id: number
  userName: string
  isAdmin: boolean
}

/** Where the login token is kept, so a reload or a new tab stays signed in. */
const tokenKey = 'folio.token'

/** The one SDK client of the page: every RPC, table and document goes through it. */
export const client = createClient({ url: location.origin, token: localStorage.getItem(tokenKey) })

/** `checking` until a kept token has been tried, then who is signed in (null: nobody). */
export const session = shallowRef<{ state: 'checking' } | { state: 'ready'; user: AppUser | null }>({ state: 'checking' })

function appUserOf(bundle: unknown): AppUser {
  const user = (bundle as { appUser?: Partial<AppUser> } | null)?.appUser
  if (typeof user?.id !== 'number' || typeof user.userName !== 'string') throw new Error('appInit answered without the signed-in user')
  return { id: user.id, userName: user.userName, isAdmin: user.isAdmin === true }
}

function signedOut(): void {
  localStorage.removeItem(tokenKey)
  session.value = { state: 'ready', user: null }
}

/** Tries the kept token: signed in as its user, or signed out when the server no longer takes it. */
export async function restoreSession(): Promise<void> {
  if (!client.token) return signedOut()
  try {
    session.value = { state: 'ready', user: appUserOf(await client.rpc('appInit')) }
  } catch (error) {
    if (error instanceof RpcError && error.status === 401) return signedOut()
    throw error
  }
}

/** Signs in and keeps the token; rejects with the server's RpcError (wrong password, too many tries). */
export async function signIn(userName: string, password: string): Promise<void> {
  const { token } = await client.login(userName, password)
  localStorage.setItem(tokenKey, token)
  session.value = { state: 'ready', user: appUserOf(await client.rpc('appInit')) }
}

/** Signs out here and on the server (the token is revoked, open documents close). */
export async function signOut(): Promise<void> {
  try {
    await client.logout()
  } finally {
    signedOut()
  }
}

// The server ended the session (logged out elsewhere, expired): back to the login screen.
client.on('unauthenticated', signedOut)
