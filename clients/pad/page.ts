/** The pad page's fixed elements (rendered by the server, see `server/pad/pages.ts`). */

export function element(id: string): HTMLElement {
  const found = document.getElementById(id)
  if (!found) throw new Error(`the pad page has no #${id}`)
  return found
}

/** Shows `message` in the banner under the header (replacing any earlier one). */
export function showNotice(message: string): void {
  const notice = element('pad-notice')
  notice.textContent = message
  notice.hidden = false
}

/** Shows the access the server grants now; the badge is the page's only promise about editing. */
export function showAccess(access: 'write' | 'read'): void {
  element('pad-access').textContent = access
  const badge = element('pad-access').parentElement
  if (!badge) return
  badge.classList.toggle('pad-badge-write', access === 'write')
  badge.classList.toggle('pad-badge-read', access === 'read')
  badge.title = access === 'write' ? 'you can edit the protocol' : 'read-only: you can follow the protocol but not edit it'
}
