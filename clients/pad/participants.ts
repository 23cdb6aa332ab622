import type { Awareness } from 'y-protocols/awareness'
import { isHexColor } from './colors.js'

/** What each pad client publishes about itself in awareness (y-quill reads the same field for cursors). */
export interface PadUser {
  name: string
  color: string
}

/** The `user` field of a remote awareness state, or null when it is missing or not what we publish. */
export function userOf(state: Record<string, unknown>): PadUser | null {
  const user = state['user']
  if (typeof user !== 'object' || user === null) return null
  const { name, color } = user as Record<string, unknown>
  if (typeof name !== 'string' || name.trim() === '') return null
  return { name, color: isHexColor(color) ? color : '#808080' }
}

/**
 * Keeps `list` showing everyone with the pad open, from awareness: one entry per browser tab,
 * this tab first, then by name. Names are set as text, never as HTML, since any peer chooses its own.
 */
export function showParticipants(list: HTMLElement, awareness: Awareness): void {
  const render = (): void => {
    const entries: { clientId: number; user: PadUser; self: boolean }[] = []
    awareness.getStates().forEach((state, clientId) => {
      const user = userOf(state)
      if (user) entries.push({ clientId, user, self: clientId === awareness.clientID })
    })
    entries.sort((a, b) => Number(b.self) - Number(a.self) || a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId)
    list.replaceChildren(...entries.map((entry) => participantItem(entry.user, entry.self)))
  }
  awareness.on('change', render)
  render()
}

function participantItem(user: PadUser, self: boolean): HTMLLIElement {
  const item = document.createElement('li')
  item.className = 'pad-participant'
  const swatch = document.createElement('span')
  swatch.className = 'pad-swatch'
  // A CSSOM property, not a style attribute: allowed under the page's no-inline-style CSP.
  swatch.style.backgroundColor = user.color
  const name = document.createElement('span')
  name.className = 'pad-participant-name'
  name.textContent = user.name
  item.append(swatch, name)
  if (self) {
    const you = document.createElement('span')
    you.className = 'pad-you'
    you.textContent = ' (you)'
    item.append(you)
  }
  return item
}
